#!/usr/bin/env bash
# Rewrites the shipped intent models (dialogs/Classifier/Classifier.<locale>.model) from today's .lu lines, classifier
# settings and training code, then checks them (issue 22: start-up reads these instead of training). Run it after
# editing any dialogs/**/*.lu file, ClassifierSettings or the training/feature code, and commit dialogs/Classifier.
# ShippedClassifierTests fails, naming this script, while the files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
ARIABOT_WRITE_MODELS=1 dotnet test tests/AriaBot.Tests -c Debug --filter "FullyQualifiedName~ShippedClassifierTests" "$@"
