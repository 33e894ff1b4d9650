'use strict';
// The support console. Everything a customer wrote is put on the page with textContent, never as HTML; the page
// talks only to its own origin (/agent/api), sends the antiforgery token on every POST and follows the queue over
// server-sent events.
(() => {
  const api = '/agent/api';
  const $ = id => document.getElementById(id);
  let token = null;
  let events = null;
  let selected = null;
  let selectedCount = -1;
  let queue = [];

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  /** Fetches the antiforgery token; true when this browser already has an agent's session. */
  async function refreshToken() {
    const response = await fetch(`${api}/antiforgery`, { credentials: 'same-origin' });
    const answer = await response.json();
    token = answer.token;
    // Which sign-ins the host offers: configured passwords, the organisation's OpenID Connect provider, or both.
    $('sign-in-form').hidden = answer.passwords === false;
    $('oidc-sign-in').hidden = !answer.openIdConnect;
    if (answer.openIdConnect) $('oidc-sign-in').textContent = answer.openIdConnect;
    return answer.signedIn === true;
  }

  async function post(path, body) {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', RequestVerificationToken: token },
      body: JSON.stringify(body ?? {}),
    });
    if (response.status === 401) showSignIn();
    return response;
  }

  async function get(path) {
    const response = await fetch(`${api}${path}`, { credentials: 'same-origin' });
    if (response.status === 401) showSignIn();
    return response;
  }

  async function errorOf(response) {
    try {
      return (await response.json()).error ?? `Error ${response.status}`;
    } catch {
      return `Error ${response.status}`;
    }
  }

  function waited(item) {
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(item.requestedAt)) / 1000));
    return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
  }

  function showSignIn() {
    events?.close();
    events = null;
    $('desk').hidden = true;
    $('who').hidden = true;
    $('sign-in').hidden = false;
  }

  async function showDesk() {
    const me = await get('/me');
    if (!me.ok) {
      showSignIn();
      return;
    }
    const profile = await me.json();
    $('agent-name').textContent = profile.displayName;
    $('signed-out').hidden = true;
    const choices = $('handback-use-case');
    choices.replaceChildren(...(profile.useCases ?? []).map(useCase => element('option', useCase.label, { value: useCase.id })));
    $('sign-in').hidden = true;
    $('who').hidden = false;
    $('desk').hidden = false;
    listen();
  }

  function listen() {
    events?.close();
    events = new EventSource(`${api}/events`);
    events.addEventListener('queue', event => {
      queue = JSON.parse(event.data);
      renderQueue();
      const current = queue.find(item => item.id === selected);
      if (current && current.messageCount !== selectedCount) openCase(selected);
    });
    events.onerror = async () => {
      // The session may have ended: ask, and go back to sign-in if so.
      const me = await get('/me');
      if (!me.ok) showSignIn();
    };
  }

  function renderQueue() {
    $('queue-empty').hidden = queue.length > 0;
    $('queue').replaceChildren(...queue.map(item => {
      const button = element('button', null, { type: 'button', 'data-id': item.id });
      if (item.id === selected) button.setAttribute('aria-current', 'true');
      const who = item.context?.accountName || (item.context?.accountNo ? `Account ${item.context.accountNo}` : 'Signed-out customer');
      button.append(element('strong', who));
      button.append(element('span', `${item.state === 'Accepted' ? 'With you' : 'Waiting ' + waited(item)} · ${item.channel} · ${item.reason}`, { class: 'queue__meta' }));
      button.addEventListener('click', () => openCase(item.id));
      return element('li', null).appendChild(button).parentNode;
    }));
  }

  function renderLines(list, lines) {
    list.replaceChildren(...lines.map(line => {
      const item = element('li', null, { 'data-from': line.from });
      item.append(element('span', line.from, { class: 'who' }), element('span', line.text, { class: 'text' }));
      return item;
    }));
    list.scrollTop = list.scrollHeight;
  }

  async function openCase(id) {
    selected = id;
    $('case-error').textContent = '';
    const response = await get(`/handoffs/${encodeURIComponent(id)}`);
    if (!response.ok) {
      $('case-error').textContent = await errorOf(response);
      return;
    }
    const view = await response.json();
    selectedCount = view.messages.length;
    $('case').hidden = false;
    const context = $('context');
    const facts = [
      ['Account', view.context.accountNo ?? 'not signed in'],
      ['Name', view.context.accountName ?? ''],
      ['Channel', view.channel],
      ['Reason', view.reason],
      ['In progress', view.context.dialog ?? ''],
      ['Last preview', view.context.lastPreview ?? ''],
      ['State', view.state],
    ];
    context.replaceChildren(...facts.flatMap(([name, value]) => [element('dt', name), element('dd', value)]));
    const mine = view.state === 'Accepted' && view.mine;
    $('accept').hidden = view.state !== 'Waiting';
    $('end').hidden = !mine;
    $('handback-box').hidden = !mine;
    $('reply-form').hidden = !mine;
    renderLines($('transcript'), view.transcript);
    renderLines($('messages'), view.messages);
    renderQueue();
  }

  async function act(path, body) {
    const response = await post(path, body);
    if (!response.ok) {
      $('case-error').textContent = await errorOf(response);
      return false;
    }
    return true;
  }

  $('sign-in-form').addEventListener('submit', async event => {
    event.preventDefault();
    $('sign-in-error').textContent = '';
    await refreshToken();
    const response = await post('/login', { login: $('login').value, password: $('password').value });
    $('password').value = '';
    if (response.status !== 204) {
      $('sign-in-error').textContent = await errorOf(response);
      return;
    }
    // The antiforgery token is bound to who is signed in.
    await refreshToken();
    await showDesk();
  });

  $('sign-out').addEventListener('click', async () => {
    const response = await post('/logout');
    selected = null;
    $('case').hidden = true;
    // Signed in through the organisation's provider: its session ends too, on its own page, which sends the browser back here.
    if (response.status === 200) {
      const answer = await response.json();
      if (typeof answer.endSession === 'string' && /^https?:\/\//.test(answer.endSession)) {
        location.assign(answer.endSession);
        return;
      }
    }
    showSignIn();
    $('signed-out').hidden = false;
  });

  $('accept').addEventListener('click', async () => {
    if (await act(`/handoffs/${encodeURIComponent(selected)}/accept`)) await openCase(selected);
  });

  $('end').addEventListener('click', async () => {
    if (await act(`/handoffs/${encodeURIComponent(selected)}/end`)) await openCase(selected);
  });

  $('handback').addEventListener('click', async () => {
    if (await act(`/handoffs/${encodeURIComponent(selected)}/handback`, { useCase: $('handback-use-case').value })) await openCase(selected);
  });

  $('reply-form').addEventListener('submit', async event => {
    event.preventDefault();
    const text = $('reply').value.trim();
    if (!text) return;
    if (await act(`/handoffs/${encodeURIComponent(selected)}/messages`, { text })) {
      $('reply').value = '';
      await openCase(selected);
    }
  });

  $('load-history').addEventListener('click', async () => {
    const response = await get('/history');
    if (!response.ok) return;
    const rows = (await response.json()).map(record => {
      const row = element('tr');
      row.append(
        element('td', new Date(record.requestedAt).toLocaleString()),
        element('td', `${Math.round(record.waitedSeconds / 60)} min`),
        element('td', record.agent ?? '—'),
        element('td', record.outcome),
        element('td', record.callBackMessage ?? ''));
      return row;
    });
    $('history').querySelector('tbody').replaceChildren(...rows);
    $('history').hidden = false;
  });

  (async () => {
    if (new URLSearchParams(location.search).get('signin') === 'refused') {
      $('oidc-error').textContent = 'That sign-in was refused: your account is not a support agent here, or the sign-in did not complete.';
      history.replaceState(null, '', '/agent/');
    }
    if (new URLSearchParams(location.search).get('signedout') === '1') {
      $('signed-out').hidden = false;
      history.replaceState(null, '', '/agent/');
    }
    if (await refreshToken()) await showDesk();
  })();
})();
