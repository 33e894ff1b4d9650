// Example parameters for main.bicep. Copy it (e.g. to nimbus.bicepparam, outside git or git-ignored), change the
// values, and deploy with:
//   az deployment group create -g <resource group> -f deploymentTemplates/main.bicep -p nimbus.bicepparam
// Secrets are never written here: they are read from environment variables when the file is compiled, so they
// stay out of files and shell history (export them from your secret store first; README "Deploying to Azure").
using 'main.bicep'

param appName = 'ariabot-nimbus'

param ariaBaseUrl = 'https://secure.ariasystems.net'
param ariaClientNo = 7000100
param ariaAuthKey = readEnvironmentVariable('ARIA_AUTH_KEY')

// Forwarded headers need no parameter: the template trusts App Service's front end (Web:ForwardedHeaders:TrustAllProxies,
// reading only the client address it appends); see "Forwarded headers" in deploymentTemplates/README.md.

param termsUrl = 'https://www.nimbus.example/terms'
param portalOrigins = [
  'https://portal.nimbus.example'
]
param supportPhone = '+1 555 0100'
param supportEmail = 'support@nimbus.example'

// `openssl rand -base64 32` for each.
param directLineSecret = readEnvironmentVariable('DIRECTLINE_SECRET')
param directLineSigningKey = readEnvironmentVariable('DIRECTLINE_SIGNING_KEY')

param postgresAdminPassword = readEnvironmentVariable('POSTGRES_ADMIN_PASSWORD')

param enableTeams = true
param staticOutboundIp = true
