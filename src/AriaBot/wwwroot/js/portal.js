// The Nimbus Connect customer page: account summary, the demo customer picker (sandbox only) and the chat.
// Everything that decides who the customer is happens on the server (/portal/*); this script only shows it.
(() => {
  'use strict';

  const STRINGS = {
    'en-US': {
      skipToChat: 'Skip to the chat', language: 'Language', signOut: 'Sign out', myAccount: 'My account',
      signedOutIntro: 'You are not signed in. You can still ask the assistant about our plans, and it can help you sign in.',
      plan: 'Plan', addOns: 'Add-ons', nextBill: 'Next bill', balance: 'Balance', paymentMethod: 'Payment method',
      accountNumber: 'Account number', none: 'None', onFile: 'No card on file',
      accountUnavailable: 'Your account details cannot be shown right now. The assistant can still help.',
      demoTitle: 'Demo customers',
      demoHint: 'Development sandbox only: sign in to the portal as one of the demo customers, without a password.',
      signInAs: 'Sign in as',
      chatTitle: 'Nimbus assistant', chatConnecting: 'Connecting…', chatOnline: 'Online · usually replies at once',
      chatExpired: 'This chat has expired. Reload the page to start a new one.',
      chatFailed: 'The chat is unavailable right now. Please try again in a moment.',
      hello: name => `Hello, ${name}.`, units: n => `× ${n}`,
      signedInAs: name => `Signed in as ${name}. The chat has restarted for your account.`,
      signedOut: 'Signed out. The chat has restarted.',
      footer: 'Nimbus Connect is a demonstration business. Billing by Aria (sandbox in development).',
    },
    'es-ES': {
      skipToChat: 'Ir al chat', language: 'Idioma', signOut: 'Cerrar sesión', myAccount: 'Mi cuenta',
      signedOutIntro: 'No has iniciado sesión. Puedes preguntar al asistente por nuestros planes y te ayudará a iniciar sesión.',
      plan: 'Plan', addOns: 'Complementos', nextBill: 'Próxima factura', balance: 'Saldo', paymentMethod: 'Forma de pago',
      accountNumber: 'Número de cuenta', none: 'Ninguno', onFile: 'Sin tarjeta registrada',
      accountUnavailable: 'Ahora no podemos mostrar los datos de tu cuenta. El asistente puede ayudarte igualmente.',
      demoTitle: 'Clientes de demostración',
      demoHint: 'Solo en el entorno de desarrollo: entra al portal como uno de los clientes de demostración, sin contraseña.',
      signInAs: 'Entrar como',
      chatTitle: 'Asistente de Nimbus', chatConnecting: 'Conectando…', chatOnline: 'En línea · responde al momento',
      chatExpired: 'Este chat ha caducado. Recarga la página para empezar otro.',
      chatFailed: 'El chat no está disponible ahora. Inténtalo de nuevo en un momento.',
      hello: name => `Hola, ${name}.`, units: n => `× ${n}`,
      signedInAs: name => `Has entrado como ${name}. El chat se ha reiniciado para tu cuenta.`,
      signedOut: 'Has cerrado la sesión. El chat se ha reiniciado.',
      footer: 'Nimbus Connect es una empresa de demostración. Facturación con Aria (entorno de pruebas en desarrollo).',
    },
  };

  // Web Chat's look: brand colours, our avatar, suggested actions as a row of buttons, no upload button. The typing
  // and spinner animations are our own SVGs: Web Chat's defaults are blob: GIFs, which the page's CSP refuses.
  const STYLE_OPTIONS = {
    accent: '#2446a8',
    primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif',
    backgroundColor: '#f7f8fc',
    subtle: '#4a5368',
    timestampColor: '#4a5368',
    bubbleBackground: '#ffffff',
    bubbleBorderColor: '#d3d9e6',
    bubbleBorderRadius: 12,
    bubbleBorderWidth: 1,
    bubbleTextColor: '#1a2030',
    bubbleFromUserBackground: '#2446a8',
    bubbleFromUserBorderColor: '#2446a8',
    bubbleFromUserBorderRadius: 12,
    bubbleFromUserTextColor: '#ffffff',
    botAvatarImage: '/img/assistant-avatar.svg',
    botAvatarInitials: 'NC',
    botAvatarBackgroundColor: '#ffffff',
    avatarSize: 36,
    hideUploadButton: true,
    suggestedActionLayout: 'flow',
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBackgroundColorOnHover: '#e8eefb',
    suggestedActionBorderColor: '#2446a8',
    suggestedActionBorderRadius: 18,
    suggestedActionBorderWidth: 2,
    suggestedActionTextColor: '#1a3580',
    suggestedActionHeight: 36,
    cardEmphasisBackgroundColor: '#e8eefb',
    cardPushButtonBackgroundColor: '#2446a8',
    cardPushButtonTextColor: '#ffffff',
    richCardWrapTitle: true,
    sendBoxButtonColor: '#2446a8',
    sendBoxPlaceholderColor: '#5b6478',
    typingAnimationBackgroundImage: "url('/img/typing.svg')",
    typingAnimationWidth: 48,
    typingAnimationHeight: 20,
    spinnerAnimationBackgroundImage: "url('/img/spinner.svg')",
  };

  const $ = id => document.getElementById(id);
  const state = { locale: initialLocale(), me: null, chat: null };

  function initialLocale() {
    const saved = localStorage.getItem('nimbus-locale');
    if (saved && STRINGS[saved]) return saved;
    return (navigator.language || '').toLowerCase().startsWith('es') ? 'es-ES' : 'en-US';
  }

  const t = (key, ...args) => {
    const value = STRINGS[state.locale][key] ?? STRINGS['en-US'][key];
    return typeof value === 'function' ? value(...args) : value;
  };

  function announce(text) {
    const announcer = $('announcer');
    announcer.textContent = '';
    // A fresh text node after a tick makes screen readers read the same message again.
    setTimeout(() => { announcer.textContent = text; }, 50);
  }

  async function api(path, options = {}) {
    const response = await fetch(path, {
      credentials: 'same-origin',
      ...options,
      headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.status === 204 ? null : response.json();
  }

  // ---- Page text ----------------------------------------------------------------------------------------------

  function applyStrings() {
    document.documentElement.lang = state.locale.slice(0, 2);
    document.querySelectorAll('[data-i18n]').forEach(element => { element.textContent = t(element.dataset.i18n); });
    $('locale').value = state.locale;
    renderAccount();
    renderDemoAccounts();
  }

  // ---- Account ------------------------------------------------------------------------------------------------

  const money = (amount, currency) => new Intl.NumberFormat(state.locale, { style: 'currency', currency: (currency || 'usd').toUpperCase() }).format(amount ?? 0);
  const date = value => {
    if (!value) return '';
    const parsed = new Date(`${value}T00:00:00`);
    return Number.isNaN(parsed.getTime()) ? value : new Intl.DateTimeFormat(state.locale, { dateStyle: 'long' }).format(parsed);
  };

  function renderAccount() {
    const me = state.me;
    const customer = me?.signedIn ? me.customer : null;
    $('account-signed-out').hidden = !!customer;
    $('account-signed-in').hidden = !customer;
    $('account-chip').hidden = !customer;
    if (!customer) return;

    const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.userId;
    $('account-name').textContent = name;
    $('account-initials').textContent = name.split(/\s+/).map(part => part[0]).join('').slice(0, 2).toUpperCase();
    $('greeting').textContent = t('hello', customer.firstName || name);
    $('account-unavailable').hidden = !customer.unavailable;
    document.querySelector('#account-signed-in .facts').hidden = !!customer.unavailable;
    if (customer.unavailable) return;

    const masters = customer.plans.filter(plan => !plan.addOn);
    const addOns = customer.plans.filter(plan => plan.addOn);
    $('fact-plan').textContent = masters.map(plan => plan.name).join(', ') || t('none');
    $('fact-addons').textContent = addOns.map(plan => (plan.units > 1 ? `${plan.name} ${t('units', plan.units)}` : plan.name)).join(', ') || t('none');
    $('fact-next-bill').textContent = date(masters[0]?.nextBillDate) || '—';
    $('fact-balance').textContent = money(customer.balance, customer.currency);
    $('fact-payment').textContent = customer.paymentMethod || t('onFile');
    $('fact-account').textContent = customer.acctNo ?? '—';
  }

  async function loadMe() {
    state.me = await api('/portal/me');
    renderAccount();
  }

  // ---- Demo customer picker (only when the server says the sandbox demo portal is on) ------------------------

  let demoAccounts = [];

  function renderDemoAccounts() {
    const panel = $('demo-panel');
    panel.hidden = !state.me?.demoPortal;
    if (panel.hidden) return;
    const current = state.me?.customer?.userId;
    const list = $('demo-list');
    list.replaceChildren(...demoAccounts.map(account => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'demo-account';
      button.dataset.userId = account.userId;
      button.setAttribute('aria-pressed', String(account.userId === current));
      // The visible name stays in the accessible name (what a voice-control user says); the verb is for screen readers.
      const verb = document.createElement('span');
      verb.className = 'visually-hidden';
      verb.textContent = `${t('signInAs')} `;
      const name = document.createElement('span');
      name.className = 'demo-account__name';
      name.textContent = account.name;
      const what = document.createElement('span');
      what.className = 'demo-account__what';
      what.textContent = account.description;
      button.append(verb, name, what);
      button.addEventListener('click', () => signInAs(account));
      item.append(button);
      return item;
    }));
  }

  async function loadDemoAccounts() {
    if (!state.me?.demoPortal) return;
    demoAccounts = await api('/portal/demo-accounts');
    renderDemoAccounts();
  }

  async function signInAs(account) {
    await api('/portal/demo-sign-in', { method: 'POST', body: JSON.stringify({ userId: account.userId }) });
    await loadMe();
    renderDemoAccounts();
    await startChat();
    announce(t('signedInAs', account.name));
  }

  async function signOut() {
    await api('/portal/sign-out', { method: 'POST' });
    await loadMe();
    renderDemoAccounts();
    await startChat();
    announce(t('signedOut'));
  }

  // ---- Chat ---------------------------------------------------------------------------------------------------

  function setChatStatus(key) {
    const status = $('chat-status');
    status.dataset.i18n = key;
    status.textContent = t(key);
  }

  function renderChat() {
    const chat = state.chat;
    if (!chat) return;
    window.WebChat.renderWebChat({
      directLine: chat.directLine,
      store: chat.store,
      locale: state.locale,
      // The chat sits inside the page's <main>, in a section named by its heading; Web Chat's default
      // role, complementary, must be a top-level landmark, so it is a region of that section instead.
      role: 'region',
      styleOptions: STYLE_OPTIONS,
    }, chat.host);
  }

  // ---- Keeping the conversation across reloads --------------------------------------------------------------------
  // A reload, or leaving the page and coming back in the same tab, rejoins the same conversation: the transcript comes
  // back and a task in progress (a plan switch at its confirmation) goes on. The tab keeps the conversation id and its
  // current Direct Line token in sessionStorage, not localStorage: it ends with the tab, so on a shared computer the
  // next person never gets the previous customer's chat. The watermark is deliberately not kept: a reloaded Web Chat
  // starts empty, so it must rejoin from the very beginning (DirectLineJS sends an empty watermark and the bot's
  // Direct Line replays the whole conversation); a kept watermark would bring back only what came after it.
  // Whether the kept conversation is still this portal login's is the server's decision (/portal/chat-resume).

  const CHAT_KEY = 'nimbus-chat';

  function savedChat() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(CHAT_KEY) || 'null');
      return typeof saved?.conversationId === 'string' && typeof saved?.token === 'string' ? saved : null;
    } catch {
      return null; // storage off (some privacy settings) or unreadable: the chat simply starts afresh
    }
  }

  function saveChat(conversationId, token) {
    if (!conversationId || !token) return;
    try {
      sessionStorage.setItem(CHAT_KEY, JSON.stringify({ conversationId, token }));
    } catch {
      // Without storage a reload starts a new conversation, as it did before.
    }
  }

  function forgetChat() {
    try {
      sessionStorage.removeItem(CHAT_KEY);
    } catch {
      // nothing kept, nothing to forget
    }
  }

  // DirectLineJS replaces its token when it refreshes it (every 15 minutes) and when it rejoins: keep the newest, so
  // that a reload after half an hour does not find an expired one.
  function saveCurrentToken() {
    const chat = state.chat;
    if (chat?.directLine.token) saveChat(chat.conversationId, chat.directLine.token);
  }

  // "Duplicate tab" copies sessionStorage. Two pages on one conversation would take its single stream from each
  // other (the second WebSocket closes the first, which reconnects and closes the second…), so a page first asks
  // whether another live page of this site already has the kept conversation, and if so starts its own.
  const tabs = 'BroadcastChannel' in window ? new BroadcastChannel('nimbus-chat') : null;
  tabs?.addEventListener('message', event => {
    const { type, conversationId } = event.data || {};
    if (type === 'who-has' && conversationId && state.chat?.conversationId === conversationId) tabs.postMessage({ type: 'mine', conversationId });
  });

  function heldByAnotherTab(conversationId) {
    if (!tabs) return Promise.resolve(false);
    return new Promise(resolve => {
      const done = held => {
        clearTimeout(timer);
        tabs.removeEventListener('message', listen);
        resolve(held);
      };
      const listen = event => { if (event.data?.type === 'mine' && event.data.conversationId === conversationId) done(true); };
      const timer = setTimeout(() => done(false), 300);
      tabs.addEventListener('message', listen);
      tabs.postMessage({ type: 'who-has', conversationId });
    });
  }

  // On page load: rejoin the kept conversation when the server agrees it is this login's, else start a new one.
  async function openChat() {
    const saved = savedChat();
    if (saved && !(await heldByAnotherTab(saved.conversationId))) {
      let resumed;
      try {
        resumed = await api('/portal/chat-resume', { method: 'POST', body: JSON.stringify({ token: saved.token }) });
      } catch (error) {
        // No answer is not a "no" (that is a 204): keep what the tab kept, so that the next reload can still rejoin.
        setChatStatus('chatFailed');
        throw error;
      }
      if (resumed?.token) {
        connectChat(resumed, { rejoin: true });
        return;
      }
      // 204: expired, gone, or another login's conversation.
    }
    await startChat();
  }

  // A new conversation: after sign-in, sign-out, or when there is nothing to rejoin.
  async function startChat() {
    stopChat();
    forgetChat();
    setChatStatus('chatConnecting');
    let conversation;
    try {
      conversation = await api('/portal/chat-token', { method: 'POST' });
    } catch (error) {
      setChatStatus('chatFailed');
      throw error;
    }
    // Kept at once: a reload before Web Chat has even connected rejoins this conversation (the bot starts it then,
    // greeting once) instead of leaving it unused and opening another.
    saveChat(conversation.conversationId, conversation.token);
    connectChat(conversation, { rejoin: false });
  }

  function connectChat({ conversationId, token }, { rejoin }) {
    stopChat();
    setChatStatus('chatConnecting');
    // A fresh element per conversation: Web Chat keeps its transcript per mounted instance.
    const host = document.createElement('div');
    $('webchat').replaceChildren(host);
    const directLine = window.WebChat.createDirectLine({
      token,
      domain: `${window.location.origin}/v3/directline`,
      webSocket: true,
      // With a conversation id DirectLineJS rejoins (GET /conversations/{id}, no watermark: everything is replayed,
      // and the bot is told nothing, so it does not greet again); without, it starts the conversation (POST).
      ...(rejoin ? { conversationId } : { conversationStartProperties: { locale: state.locale } }),
    });
    const chat = { conversationId, host, directLine, subscription: null, online: false, store: window.WebChat.createStore({}, refreshAccountOnReplies) };
    // DirectLineJS refreshes the token itself (tokens/refresh) while the conversation is open.
    chat.subscription = directLine.connectionStatus$.subscribe(status => {
      if (state.chat !== chat) return;
      if (status === 2) {
        chat.online = true;
        setChatStatus('chatOnline');
        saveCurrentToken();
      } else if (status === 3) {
        setChatStatus('chatExpired');
      } else if (status === 4) {
        if (rejoin && !chat.online) {
          // The kept conversation could not be rejoined after all (it ended between the check and the connect):
          // a new one, rather than an error.
          // Out of this callback: starting over ends this DirectLine, whose status is being emitted right now.
          setTimeout(() => startChat().catch(error => console.warn(error)), 0);
          return;
        }
        setChatStatus('chatFailed');
      }
    });
    state.chat = chat;
    renderChat();
  }

  // What the assistant changes (a plan, a payment) shows in the account panel too: after the bot's messages, the
  // summary is read again from the server, once per burst of messages.
  let refreshTimer = 0;
  // The assistant answers in the language the customer writes in or asks for ("español"), whatever the picker says.
  // When its reply comes in another language than the customer's message was sent in, the page follows it — unless the
  // customer has used the picker since, which is the newer choice (the next message tells the bot, which yields).
  let sentLocale = null;
  let pickedLocale = null;
  const markPickedLocale = action => {
    if (action.type !== 'DIRECT_LINE/POST_ACTIVITY' || !pickedLocale || action.payload?.activity?.type !== 'message') return action;
    const activity = action.payload.activity;
    const channelData = { ...activity.channelData, 'ariabot.localePicked': pickedLocale };
    pickedLocale = null;
    return { ...action, payload: { ...action.payload, activity: { ...activity, channelData } } };
  };
  const followAssistantLanguage = activity => {
    const locale = activity.locale;
    if (!STRINGS[locale] || locale === state.locale || sentLocale !== state.locale) return;
    sentLocale = locale;
    setTimeout(() => setLocale(locale), 0);
  };

  const refreshAccountOnReplies = () => next => original => {
    const action = markPickedLocale(original);
    if (action.type === 'DIRECT_LINE/POST_ACTIVITY') sentLocale = action.payload?.activity?.locale ?? state.locale;
    const activity = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload?.activity : null;
    if (activity) saveCurrentToken();
    if (activity?.type === 'message' && activity.from?.role === 'bot') followAssistantLanguage(activity);
    if (activity?.type === 'message' && activity.from?.role === 'bot' && state.me?.signedIn) {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => loadMe().catch(error => console.warn('The account summary could not be refreshed', error)), 1500);
    }
    return next(action);
  };

  function stopChat() {
    const chat = state.chat;
    $('webchat').replaceChildren();
    if (!chat) return;
    state.chat = null;
    chat.subscription.unsubscribe();
    chat.directLine.end();
    if (window.ReactDOM?.unmountComponentAtNode) window.ReactDOM.unmountComponentAtNode(chat.host);
  }

  // ---- Start ----------------------------------------------------------------------------------------------------

  function setLocale(locale) {
    state.locale = locale;
    localStorage.setItem('nimbus-locale', state.locale);
    applyStrings();
    setChatStatus($('chat-status').dataset.i18n || 'chatConnecting');
    // Same conversation, new language: Web Chat re-renders and sends the new locale with each activity.
    renderChat();
  }

  $('locale').addEventListener('change', event => {
    setLocale(event.target.value);
    // The customer's own pick overrides a language the assistant switched to: the next message says so itself (an
    // event of its own could reach the bot after that message).
    pickedLocale = state.locale;
  });
  $('sign-out').addEventListener('click', () => signOut().catch(error => console.warn(error)));
  // The last moment to keep the newest token before a reload or a navigation away.
  window.addEventListener('pagehide', saveCurrentToken);

  (async () => {
    applyStrings();
    try {
      await loadMe();
      await loadDemoAccounts();
    } catch (error) {
      console.warn('The account summary could not be loaded', error);
    }
    await openChat();
  })().catch(error => console.warn(error));
})();
