// Over HTTP: the waterfall behind botbuilder's CloudAdapter in express, memory state, no auth (no app id: the SDK's
// anonymous mode, as our runtime's Development mode). Answers deliveryMode expectReplies in the response body.
'use strict';
const express = require('express');
const { CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage } = require('botbuilder');
const { createBot, option } = require('./waterfall');

const port = Number(option('port', '5190'));
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, error) => {
  console.error(error);
  await context.sendActivity('The bot hit an error.');
};
const logic = createBot(new MemoryStorage());
const app = express();
app.use(express.json({ limit: '256kb' }));
app.get('/', (req, res) => res.send('ok'));
app.post('/api/messages', (req, res) => adapter.process(req, res, logic));
app.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
