// AriaBot in production on Azure, in one resource group:
//   App Service (Linux, .NET 10) running src/AriaBot, with a user-assigned managed identity that is both the
//   Azure Bot's identity (MicrosoftAppType=UserAssignedMSI: no client secret to store or rotate) and the identity
//   App Service uses to read the app's secrets from Key Vault;
//   Azure Bot (Teams, Slack and Azure's Direct Line optional) pointing at https://<app>/api/messages;
//   Azure Database for PostgreSQL flexible server as the shared state store, so the app can scale out
//   (design invariant 5: one turn at a time per conversation across processes, eTag-checked);
//   a virtual network so PostgreSQL has no public endpoint; optionally a NAT gateway for one stable outbound IP
//   (Aria allow-lists callers by IP: error 1003) and Log Analytics.
//
// One file on purpose: the compiled template keeps every app setting next to the resources it names, so
// tests/AriaBot.Tests/Deployment can check the settings against the app's real option binding.
// App settings use the keys the app binds (see README "Configuration"); ':' is written '__' because App Service
// turns settings into environment variables.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Names and place
// ---------------------------------------------------------------------------------------------------------------

@description('Name of the Web App and the Azure Bot (both must be globally unique): lower-case letters, digits and hyphens, e.g. "ariabot-nimbus". Other resources are named after it.')
@minLength(4)
@maxLength(40)
param appName string

@description('Azure region of everything except the Azure Bot (which is global). Default: the resource group\'s region.')
param location string = resourceGroup().location

@description('Tags put on every resource.')
param tags object = {}

@description('Public host name customers and channels reach the bot at, when it is a custom domain you bind (DNS and certificate) to the Web App yourself, e.g. "assistant.nimbus.example". Empty (default): the Web App\'s own <appName>.azurewebsites.net host.')
param publicHostName string = ''

// ---------------------------------------------------------------------------------------------------------------
// Aria
// ---------------------------------------------------------------------------------------------------------------

@description('Aria host for Aria:BaseUrl, without an API path, e.g. "https://secure.ariasystems.net" (production) or "https://secure.future.stage.ariasystems.net" (stage future).')
param ariaBaseUrl string

@description('Aria client number of the business (Aria:ClientNo).')
@minValue(1)
param ariaClientNo int

@description('Aria API key of the client (Aria:AuthKey). Stored in Key Vault; the app reads it through a Key Vault reference.')
@secure()
@minLength(1)
@maxLength(32)
param ariaAuthKey string

// ---------------------------------------------------------------------------------------------------------------
// The assistant
// ---------------------------------------------------------------------------------------------------------------

@description('Terms and Conditions link shown before every account change (SelfService:TermsUrl), an absolute https URL.')
param termsUrl string

@description('Origins of the customer portal, e.g. ["https://portal.nimbus.example"]: they may frame the bot\'s page (Web:FrameAncestors), call the bot\'s own Direct Line from the browser (DirectLine:AllowedOrigins) and, with enableAzureDirectLine, are the trusted origins of Azure\'s Direct Line site. https origins only, no path. Default none: the page cannot be framed and only same-origin pages chat.')
param portalOrigins array = []

@description('Where customers who ask for a person are sent when no agent is available (SelfService:Escalation:SupportPhone). Empty: not shown.')
param supportPhone string = ''

@description('Support e-mail address (SelfService:Escalation:SupportEmail). Empty: not shown.')
param supportEmail string = ''

@description('Support opening hours in words, e.g. "Mon-Fri 8:00-20:00" (SelfService:Escalation:SupportHours). Empty: not shown.')
param supportHours string = ''

@description('Support web page (SelfService:Escalation:SupportUrl). Empty: not shown.')
param supportUrl string = ''

// ---------------------------------------------------------------------------------------------------------------
// Direct Line (the bot's own, under /v3/directline) and Azure Bot channels
// ---------------------------------------------------------------------------------------------------------------

@description('Secret of the bot\'s own Direct Line (DirectLine:Secrets:0), at least 16 characters: the portal\'s server presents it to get chat tokens. Stored in Key Vault.')
@secure()
@minLength(16)
param directLineSecret string

@description('Key that signs the bot\'s Direct Line tokens (DirectLine:SigningKey): base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`. The same on every instance. Stored in Key Vault.')
@secure()
@minLength(44)
param directLineSigningKey string

@description('Secret the portal\'s server presents on POST /api/session-bindings when Azure\'s Direct Line fronts the bot (DirectLine:SessionBindingSecret), at least 16 characters. Required with enableAzureDirectLine, unused without it. Stored in Key Vault.')
@secure()
param sessionBindingSecret string = ''

@description('Add Azure\'s Direct Line channel (a site named "portal", v3 only, enhanced authentication with portalOrigins as trusted origins), for a portal that uses Azure\'s Direct Line instead of the bot\'s own. Default false.')
param enableAzureDirectLine bool = false

@description('Add the Microsoft Teams channel. Default false.')
param enableTeams bool = false

@description('Add the Slack channel; needs slackClientId, slackClientSecret, slackVerificationToken and slackSigningSecret from the Slack app. Default false.')
param enableSlack bool = false

@description('Client ID of the Slack app (Basic Information). Needed with enableSlack.')
param slackClientId string = ''

@description('Client secret of the Slack app. Needed with enableSlack.')
@secure()
param slackClientSecret string = ''

@description('Verification token of the Slack app. Needed with enableSlack.')
@secure()
param slackVerificationToken string = ''

@description('Signing secret of the Slack app. Needed with enableSlack.')
@secure()
param slackSigningSecret string = ''

@description('Pricing tier of the Azure Bot: F0 (free; standard channels such as Teams, Slack, Web Chat and Direct Line are unlimited) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Name the bot shows in channels. Default: appName.')
param botDisplayName string = appName

// The app's identity may wrap and unwrap with the Data Protection key, and nothing else with any other key.
resource dataProtectionKeyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::dataProtectionKey.id, identity.id, keyVaultCryptoUserRoleId)
  scope: vault::dataProtectionKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultCryptoUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// App Service
// ---------------------------------------------------------------------------------------------------------------

@description('App Service plan SKU; it must support Always On and virtual network integration (Basic or higher). Default P0v3.')
param appServicePlanSku string = 'P0v3'

@description('Number of instances. Default 2, so a platform update or a crash leaves one serving; state is in PostgreSQL, so any instance serves any conversation.')
@minValue(1)
@maxValue(30)
param appServicePlanInstances int = 2

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL (state store)
// ---------------------------------------------------------------------------------------------------------------

@description('Administrator login of the PostgreSQL server, also the login the app uses. Default "ariabot".')
param postgresAdminLogin string = 'ariabot'

@description('Administrator password of the PostgreSQL server (8-128 characters from three of: upper case, lower case, digits, symbols). Stored in Key Vault inside the app\'s connection string.')
@secure()
@minLength(8)
@maxLength(128)
param postgresAdminPassword string

@description('PostgreSQL compute SKU. Default Standard_B1ms (Burstable): the bot stores small documents.')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL tier matching postgresSkuName. Zone-redundant high availability needs GeneralPurpose or MemoryOptimized.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL major version. Default 16.')
@allowed([
  '14'
  '15'
  '16'
  '17'
])
param postgresVersion string = '16'

@description('PostgreSQL storage in GB (it grows automatically). Default 32.')
@minValue(32)
param postgresStorageSizeGB int = 32

@description('Days of PostgreSQL point-in-time backups. Default 7.')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 7

@description('Zone-redundant high availability for PostgreSQL (not with the Burstable tier). Default false.')
param postgresHighAvailability bool = false

// ---------------------------------------------------------------------------------------------------------------
// Network, secrets and monitoring
// ---------------------------------------------------------------------------------------------------------------

@description('Address space of the virtual network that joins the Web App to PostgreSQL. Default 10.40.0.0/24.')
param vnetAddressPrefix string = '10.40.0.0/24'

@description('Subnet of the Web App\'s virtual network integration (delegated to App Service). Default 10.40.0.0/26.')
param appSubnetPrefix string = '10.40.0.0/26'

@description('Subnet of the PostgreSQL server (delegated to PostgreSQL flexible servers; a high-availability standby takes an address too). Default 10.40.0.64/27.')
param postgresSubnetPrefix string = '10.40.0.64/27'

@description('Send all outbound traffic through a NAT gateway with one static public IP, so Aria\'s IP allow-list needs one address that does not change when the plan is scaled or moved. Default false: Aria must allow-list every address in the Web App\'s possibleOutboundIpAddresses.')
param staticOutboundIp bool = false

@description('Key Vault purge protection: a deleted vault and its secrets can be recovered for 90 days and the name cannot be reused meanwhile. Default true.')
param keyVaultPurgeProtection bool = true

@description('Create a Log Analytics workspace and send the app\'s console log (Serilog, already redacted), App Service platform and audit logs, PostgreSQL server logs and Key Vault audit events to it. Default true.')
param enableLogAnalytics bool = true

@description('Create a workspace-based Application Insights (in the Log Analytics workspace, so only with enableLogAnalytics) and set APPLICATIONINSIGHTS_CONNECTION_STRING: the app then exports its OpenTelemetry traces, metrics and logs to it through the Azure Monitor distro, after its own scrubbing (no query strings, headers, bodies, keys or session ids; Live Metrics off). Default true.')
param enableApplicationInsights bool = true

@description('Days Log Analytics keeps logs. Default 30.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// ---------------------------------------------------------------------------------------------------------------
// Derived names and values
// ---------------------------------------------------------------------------------------------------------------

// Globally unique names get a suffix from the resource group and app, so a redeploy finds the same resources.
var suffix = uniqueString(resourceGroup().id, appName)
var keyVaultName = take('kv${suffix}', 24)
var postgresServerName = toLower('${appName}-pg-${suffix}')
var postgresDatabaseName = 'ariabot'

// One value for the Azure Bot resource and the app's MicrosoftAppType setting: the app refuses to start with a
// combination that cannot get a token, and the test checks both sides agree.
var botAppType = 'UserAssignedMSI'

var publicHost = empty(publicHostName) ? site.properties.defaultHostName : publicHostName
var publicBaseUrl = 'https://${publicHost}'

// Key Vault Secrets User: read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
// Key Vault Crypto User: wrap and unwrap with a key (the private key never leaves the vault).
var keyVaultCryptoUserRoleId = '12338af0-0e69-4776-bea7-57ae8d297424'

// ---------------------------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${appName}-id'
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------------------------
// Network: the Web App reaches PostgreSQL over a private address only.
// ---------------------------------------------------------------------------------------------------------------

resource natIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = if (staticOutboundIp) {
  name: '${appName}-nat-ip'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource nat 'Microsoft.Network/natGateways@2024-05-01' = if (staticOutboundIp) {
  name: '${appName}-nat'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIpAddresses: [
      {
        id: natIp.id
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${appName}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          natGateway: staticOutboundIp ? { id: nat.id } : null
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'postgres-flexible'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: 'app'
  }

  resource postgresSubnet 'subnets' existing = {
    name: 'postgres'
  }
}

// PostgreSQL with private access resolves its name through a private zone linked to the network.
resource postgresDns 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: '${postgresServerName}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags

  resource link 'virtualNetworkLinks' = {
    name: '${appName}-vnet'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL: the bot's scale-out state store (State:Provider=Postgres).
// ---------------------------------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresServerName
  location: location
  tags: tags
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: postgresStorageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: postgresBackupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: postgresHighAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: {
      delegatedSubnetResourceId: vnet::postgresSubnet.id
      privateDnsZoneArmResourceId: postgresDns.id
      publicNetworkAccess: 'Disabled'
    }
  }
  // The zone must be linked before the server registers its address in it.
  dependsOn: [
    postgresDns::link
  ]

  resource database 'databases' = {
    name: postgresDatabaseName
    properties: {
      charset: 'UTF8'
      collation: 'en_US.utf8'
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Key Vault: every secret the app needs; the app sees them only through Key Vault references.
// ---------------------------------------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Role assignments rather than access policies: the app's identity gets read access to secrets only.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Purge protection cannot be switched off once on; "null" leaves it off rather than sending false, which Azure refuses.
    enablePurgeProtection: keyVaultPurgeProtection ? true : null
    // App Service resolves Key Vault references from its own infrastructure, not from the app's subnet, so the
    // vault keeps its public endpoint; access is by role only.
    publicNetworkAccess: 'Enabled'
  }

  // Wraps the Data Protection key ring at rest (portal cookies, antiforgery tokens, signed links; the ring itself is
  // shared in PostgreSQL): each stored key's AES data key is wrapped with it (DataProtection__KeyVaultKeyId below).
  resource dataProtectionKey 'keys' = {
    name: 'dataprotection'
    properties: {
      kty: 'RSA'
      keySize: 3072
      keyOps: [
        'wrapKey'
        'unwrapKey'
      ]
    }
  }

  resource ariaAuthKeySecret 'secrets' = {
    name: 'aria-auth-key'
    properties: {
      value: ariaAuthKey
    }
  }

  resource directLineSecretSecret 'secrets' = {
    name: 'directline-secret'
    properties: {
      value: directLineSecret
    }
  }

  resource directLineSigningKeySecret 'secrets' = {
    name: 'directline-signing-key'
    properties: {
      value: directLineSigningKey
    }
  }

  // Decided by the flag, not by the secret's emptiness: a condition on a secure value cannot be previewed
  // (what-if, bicep snapshot), and a portal in Azure mode cannot work without the secret anyway.
  resource sessionBindingSecretSecret 'secrets' = if (enableAzureDirectLine) {
    name: 'directline-session-binding-secret'
    properties: {
      // Without it the portal could never register a session, so refuse the deployment instead.
      value: length(sessionBindingSecret) >= 16 ? sessionBindingSecret : fail('sessionBindingSecret (16 or more characters) is required with enableAzureDirectLine.')
    }
  }

  // The whole connection string is the secret (it holds the password). The password is quoted, with quotes
  // doubled, so any character Azure accepts in it survives Npgsql's parser. VerifyFull: TLS with the server's
  // certificate checked against its name.
  resource postgresConnectionStringSecret 'secrets' = {
    name: 'state-postgres-connection-string'
    properties: {
      value: 'Host=${postgres.properties.fullyQualifiedDomainName};Port=5432;Database=${postgresDatabaseName};Username=${postgresAdminLogin};Password="${replace(postgresAdminPassword, '"', '""')}";SSL Mode=VerifyFull'
    }
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// App Service
// ---------------------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${appName}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: appServicePlanInstances
  }
  properties: {
    // Linux plan.
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the same identity the bot uses; no system identity is created.
    keyVaultReferenceIdentity: identity.id
    virtualNetworkSubnetId: vnet::appSubnet.id
    // A browser's requests stick to one instance, so a Direct Line stream and the posts of its conversation
    // usually meet in one process. Correctness does not depend on it: state is in PostgreSQL.
    clientAffinityEnabled: true
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      // The publish output holds several assemblies; name the one to run rather than let the platform guess.
      appCommandLine: 'dotnet AriaBot.dll'
      alwaysOn: true
      // The bot's own Direct Line streams activities to Web Chat over a WebSocket.
      webSocketsEnabled: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Ready means Aria accepts this host's IP and credentials (1003/1004 told apart), not only that it runs.
      healthCheckPath: '/healthz/ready'
      // With a NAT gateway every outbound call must leave through it; without one only private traffic
      // (PostgreSQL) uses the network and the rest keeps App Service's outbound addresses.
      vnetRouteAllEnabled: staticOutboundIp
      // App Service's own HTTP log records query strings, which carry one-time sign-in states and Direct Line
      // stream tokens (design invariant 4); the app logs requests itself, redacted.
      httpLoggingEnabled: false
      detailedErrorLoggingEnabled: false
      requestTracingEnabled: false
    }
  }
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// Settings that exist only when their parameter is given: an empty value would still be bound (and, for a
// list, count as an entry), so leave the key out instead.
var optionalSettings = union(
  !enableAzureDirectLine
    ? {}
    : {
        DirectLine__SessionBindingSecret: '@Microsoft.KeyVault(SecretUri=${vault::sessionBindingSecretSecret!.properties.secretUri})'
      },
  // The app switches its Azure Monitor exporter on when this is set (src/AriaBot/Telemetry).
  !useApplicationInsights ? {} : { APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights!.properties.ConnectionString },
  empty(supportPhone) ? {} : { SelfService__Escalation__SupportPhone: supportPhone },
  empty(supportEmail) ? {} : { SelfService__Escalation__SupportEmail: supportEmail },
  empty(supportHours) ? {} : { SelfService__Escalation__SupportHours: supportHours },
  empty(supportUrl) ? {} : { SelfService__Escalation__SupportUrl: supportUrl },
  toObject(range(0, length(portalOrigins)), i => 'Web__FrameAncestors__${i}', i => portalOrigins[i]),
  toObject(range(0, length(portalOrigins)), i => 'DirectLine__AllowedOrigins__${i}', i => portalOrigins[i])
)

// A resource of its own (not siteConfig.appSettings) so the settings can name the site's own host name, and so
// they are written only once the identity may read the vault.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(
    {
      ASPNETCORE_ENVIRONMENT: 'Production'
      // App Service terminates TLS in front of the app: take the client's scheme and address from its
      // X-Forwarded-* headers (sign-in rate limits are per client address).
      ASPNETCORE_FORWARDEDHEADERS_ENABLED: 'true'
      // Whose X-Forwarded-For to believe. App Service's front ends have no fixed addresses, but the app cannot be
      // reached around them and they append the address they saw: trusting any sender while reading only that last
      // entry (Web:ForwardedHeaders:ForwardLimit stays 1) gives the real client. The app refuses to start with
      // forwarded headers on and nobody to trust. Behind another proxy (Front Door, Application Gateway) set
      // Web__ForwardedHeaders__KnownNetworks__0 (CIDR) instead and restrict access to it.
      Web__ForwardedHeaders__TrustAllProxies: 'true'
      // The package deployed is already published (dotnet publish); the platform must not build it again.
      SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'

      // Azure Bot Service identity: the user-assigned managed identity, no password.
      MicrosoftAppType: botAppType
      MicrosoftAppId: identity.properties.clientId
      MicrosoftAppTenantId: identity.properties.tenantId

      Aria__BaseUrl: ariaBaseUrl
      Aria__ClientNo: string(ariaClientNo)
      Aria__AuthKey: '@Microsoft.KeyVault(SecretUri=${vault::ariaAuthKeySecret.properties.secretUri})'
      // Never the simulator next to a real Aria (the app refuses it outside Development anyway).
      Aria__UseSandbox: 'false'

      State__Provider: 'Postgres'
      State__PostgresConnectionString: '@Microsoft.KeyVault(SecretUri=${vault::postgresConnectionStringSecret.properties.secretUri})'

      DirectLine__Secrets__0: '@Microsoft.KeyVault(SecretUri=${vault::directLineSecretSecret.properties.secretUri})'
      DirectLine__SigningKey: '@Microsoft.KeyVault(SecretUri=${vault::directLineSigningKeySecret.properties.secretUri})'
      // Stream URLs must be wss://<public host>, whatever scheme the platform's proxy forwards.
      DirectLine__PublicBaseUrl: publicBaseUrl

      SignIn__PublicBaseUrl: publicBaseUrl
      SelfService__TermsUrl: termsUrl

      // The Data Protection key ring is stored wrapped by the vault's key (versionless: a rotated key keeps reading
      // older keys), with a token for the same user-assigned identity. Readiness fails, saying why, if it cannot.
      DataProtection__KeyVaultKeyId: vault::dataProtectionKey.properties.keyUri
      DataProtection__ManagedIdentityClientId: identity.properties.clientId
    },
    optionalSettings
  )
  dependsOn: [
    // The app resolves its Key Vault references at start; without the role they stay unresolved.
    vaultSecretsUser
    // And wraps its first Data Protection key soon after.
    dataProtectionKeyUser
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Bot
// ---------------------------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: appName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: '${publicBaseUrl}/api/messages'
    msaAppType: botAppType
    msaAppId: identity.properties.clientId
    msaAppTenantId: identity.properties.tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableTeams) {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

resource slackChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableSlack) {
  parent: bot
  name: 'SlackChannel'
  location: 'global'
  properties: {
    channelName: 'SlackChannel'
    properties: {
      isEnabled: true
      // Each is required with enableSlack; say which one is missing rather than let the channel fail later.
      clientId: empty(slackClientId) ? fail('slackClientId is required with enableSlack.') : slackClientId
      clientSecret: empty(slackClientSecret) ? fail('slackClientSecret is required with enableSlack.') : slackClientSecret
      verificationToken: empty(slackVerificationToken) ? fail('slackVerificationToken is required with enableSlack.') : slackVerificationToken
      signingSecret: empty(slackSigningSecret) ? fail('slackSigningSecret is required with enableSlack.') : slackSigningSecret
      // Settings are registered before Slack's OAuth consent, as the channel's documentation recommends.
      registerBeforeOAuthFlow: true
    }
  }
}

// Enhanced authentication: Azure's Direct Line then takes the user id from the token the portal's server asked
// for, never from the browser, which is what keys the portal's session binding (POST /api/session-bindings).
resource directLineChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableAzureDirectLine) {
  parent: bot
  name: 'DirectLineChannel'
  location: 'global'
  properties: {
    channelName: 'DirectLineChannel'
    properties: {
      sites: [
        {
          siteName: 'portal'
          isEnabled: true
          isV1Enabled: false
          isV3Enabled: true
          isSecureSiteEnabled: true
          // Enhanced authentication without a trusted origin would refuse every browser.
          trustedOrigins: empty(portalOrigins) ? fail('portalOrigins is required with enableAzureDirectLine.') : portalOrigins
        }
      ]
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Monitoring (optional)
// ---------------------------------------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = if (enableLogAnalytics) {
  name: '${appName}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

var useApplicationInsights = enableLogAnalytics && enableApplicationInsights

// Workspace-based: its data lives in the workspace above, under the same retention. The app sends to it itself
// (OpenTelemetry, scrubbed); no App Service codeless agent, which would record request URLs with their query strings.
resource appInsights 'Microsoft.Insights/components@2020-02-02' = if (useApplicationInsights) {
  name: '${appName}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Client addresses are masked (the default, written out so that nobody switches it off unawares).
    DisableIpMasking: false
    IngestionMode: 'LogAnalytics'
  }
}

// Not AppServiceHTTPLogs: it records query strings (one-time sign-in states, Direct Line stream tokens).
resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (enableLogAnalytics) {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
      {
        category: 'AppServiceAuditLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource postgresDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (enableLogAnalytics) {
  name: 'to-log-analytics'
  scope: postgres
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'PostgreSQLLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (enableLogAnalytics) {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs: what the steps after deployment need (README "Deploying to Azure").
// ---------------------------------------------------------------------------------------------------------------

@description('The Web App to publish the app to (az webapp deploy --name).')
output webAppName string = site.name

@description('The bot\'s public address.')
output publicBaseUrl string = publicBaseUrl

@description('The Azure Bot\'s messaging endpoint.')
output botEndpoint string = bot.properties.endpoint

@description('The addresses Aria must allow-list for this client (error 1003 otherwise): the NAT gateway\'s IP, or every address the Web App may call out from.')
output ariaAllowListAddresses string = staticOutboundIp ? natIp!.properties.ipAddress : site.properties.possibleOutboundIpAddresses

@description('The Key Vault holding the app\'s secrets (rotate them there and restart the app).')
output keyVaultName string = vault.name

@description('The PostgreSQL server (private access only).')
output postgresServerName string = postgres.name

@description('Client id of the managed identity: the bot\'s MicrosoftAppId (Teams app manifests need it as botId).')
output botAppId string = identity.properties.clientId
