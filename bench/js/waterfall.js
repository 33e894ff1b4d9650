// The five-turn waterfall of issue 22 ("hi" -> "Ada" -> "3 seats" -> "next friday" -> "yes") on botbuilder 4.23.3,
// word for word what bench/AriaBot.Bench/Peer.cs builds on our runtime, so the same checks hold for both.
'use strict';
const { ConversationState } = require('botbuilder');
const { DialogSet, DialogTurnStatus, WaterfallDialog, TextPrompt, NumberPrompt, DateTimePrompt, ConfirmPrompt } = require('botbuilder-dialogs');

// What each turn's reply must contain; a reply without it is an error (an error can never look fast).
const SCRIPT = [
  ['hi', "What's your name?"],
  ['Ada', 'How many seats, Ada?'],
  ['3 seats', 'For which day?'],
  ['next friday', 'Book 3 seats for Ada on 20'],
  ['yes', 'Booked: 3 seats for Ada on 20'],
];

function createBot(storage) {
  const conversationState = new ConversationState(storage);
  const dialogs = new DialogSet(conversationState.createProperty('DialogState'));
  dialogs.add(new TextPrompt('name'));
  dialogs.add(new NumberPrompt('seats', undefined, 'en-us'));
  dialogs.add(new DateTimePrompt('date', undefined, 'en-us'));
  dialogs.add(new ConfirmPrompt('confirm', undefined, 'en-us'));
  dialogs.add(new WaterfallDialog('book', [
    async (step) => step.prompt('name', "What's your name?"),
    async (step) => {
      step.values.name = step.result;
      return step.prompt('seats', `How many seats, ${step.result}?`);
    },
    async (step) => {
      step.values.seats = step.result;
      return step.prompt('date', 'For which day?');
    },
    async (step) => {
      const resolution = step.result[0];
      step.values.date = (resolution.value || resolution.start || '').slice(0, 10);
      return step.prompt('confirm', `Book ${step.values.seats} seats for ${step.values.name} on ${step.values.date}?`);
    },
    async (step) => {
      await step.context.sendActivity(step.result
        ? `Booked: ${step.values.seats} seats for ${step.values.name} on ${step.values.date}.`
        : 'Nothing booked.');
      return step.endDialog();
    },
  ]));
  return async (context) => {
    if (context.activity.type === 'message') {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) {
        await dc.beginDialog('book');
      }
    }
    await conversationState.saveChanges(context);
  };
}

/** The problem with a turn's replies, or null when one message contains what the script expects. */
function check(replies, turn) {
  const expected = SCRIPT[turn][1];
  return replies.some((r) => r.type === 'message' && typeof r.text === 'string' && r.text.includes(expected))
    ? null
    : `turn ${turn + 1} ("${SCRIPT[turn][0]}"): expected "${expected}", got ${JSON.stringify(replies.map((r) => r.text))}`;
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

module.exports = { SCRIPT, createBot, check, option };
