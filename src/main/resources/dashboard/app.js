// sns-relay dashboard: per-app SNS settings through the admin API (/v1). Plain script, no
// framework, nothing from other hosts. Text from the API is only ever set with textContent.
'use strict';

(function () {
  const TOKEN_KEY = 'sns-relay.admin-token';
  const APP_ID = /^[A-Za-z0-9_-]{1,64}$/;
  const DEFAULT_MAX_MESSAGE_BYTES = 262144;
  const LONG_MESSAGE = 260;

  // API field name -> the control that shows its error, and the element holding the message.
  const FIELDS = {
    sns_topic_arn: { control: 'sns_topic_arn', error: 'sns_topic_arn-error' },
    sns_region: { control: 'sns_topic_arn', error: 'sns_topic_arn-error' },
    sns_auth_type: { control: 'sns_auth_type', error: 'sns_auth_type-error' },
    sns_key: { control: 'sns_key', error: 'sns_key-error' },
    sns_secret: { control: 'sns_secret', error: 'sns_secret-error' },
    sns_role_arn: { control: 'sns_role_arn', error: 'sns_role_arn-error' },
    sns_endpoint: { control: 'sns_endpoint', error: 'sns_endpoint-error', more: true },
    max_message_bytes: {
      control: 'max_message_bytes', error: 'max_message_bytes-error', more: true,
    },
    event_types: { control: 'event-types-list', error: 'event_types-error' },
    enabled: { control: 'enabled', error: 'enabled-error' },
  };

  const DROP_REASONS = {
    oversize: 'over the size limit',
    event_type: 'event type not selected',
    disabled: 'app not enabled',
  };

  const state = {
    token: null,
    apps: [], // views from GET /v1/apps
    unsaved: new Set(), // app ids added on this page and not saved yet
    current: null,
    saved: null, // the saved view of the current app; null while it is not saved
    dirty: false,
    busy: false,
    loadSeq: 0,
    inFlight: 0,
  };

  const $ = (id) => document.getElementById(id);

  class Unauthorized extends Error {}

  // --- API -----------------------------------------------------------------------------------

  async function api(method, path, body) {
    // aria-busy on <main> while any request runs: assistive technology (and the browser
    // tests) can tell a page that is still loading from one that is done.
    setInFlight(1);
    try {
      return await request(method, path, body);
    } finally {
      setInFlight(-1);
    }
  }

  function setInFlight(delta) {
    state.inFlight += delta;
    if (state.inFlight > 0) {
      $('main').setAttribute('aria-busy', 'true');
    } else {
      $('main').removeAttribute('aria-busy');
    }
  }

  async function request(method, path, body) {
    const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new Error('The relay did not answer. Check that it is running.');
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (response.status === 401) {
      askForToken('The relay refused the admin token. Enter it again.');
      throw new Unauthorized();
    }
    return { status: response.status, data };
  }

  function appPath(id, rest) {
    return '/v1/apps/' + encodeURIComponent(id) + rest;
  }

  function errorText(r) {
    if (r.data && typeof r.data.error === 'string') {
      return r.data.error;
    }
    return 'the relay answered with HTTP status ' + r.status;
  }

  // --- Token ---------------------------------------------------------------------------------

  function askForToken(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    $('workspace').hidden = true;
    $('forget-token').hidden = true;
    $('token-section').hidden = false;
    setError('token', 'token-error', message);
    $('token').value = '';
    $('token').focus();
  }

  async function onTokenSubmit(event) {
    event.preventDefault();
    const value = $('token').value.trim();
    if (!value) {
      setError('token', 'token-error', 'Enter the admin token.');
      $('token').focus();
      return;
    }
    setError('token', 'token-error', null);
    state.token = value;
    try {
      await loadWorkspace();
      $('token').value = '';
    } catch (e) {
      if (e instanceof Unauthorized) {
        return; // asked again, with the reason
      }
      if ($('workspace').hidden) {
        setError('token', 'token-error', e.message);
      } else {
        pageStatus(e.message);
      }
    }
  }

  function onForgetToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.apps = [];
    state.unsaved.clear();
    state.current = null;
    state.saved = null;
    state.dirty = false;
    // Nothing typed (a secret) stays in the page for the next person at this browser.
    $('settings-form').reset();
    $('settings-form').hidden = true;
    $('stats').hidden = true;
    history.replaceState(null, '', location.pathname);
    askForToken(null);
    pageStatus('The token is forgotten. Enter it again to continue.');
  }

  // --- Apps ----------------------------------------------------------------------------------

  /** Lists the apps and shows the one named in the URL (#app), else the current or first. */
  async function loadWorkspace() {
    const r = await api('GET', '/v1/apps');
    if (r.status !== 200 || !r.data || !Array.isArray(r.data.apps)) {
      throw new Error('Could not list the apps: ' + errorText(r));
    }
    state.apps = r.data.apps;
    // Kept only once the relay accepted it, and only for this tab.
    sessionStorage.setItem(TOKEN_KEY, state.token);
    $('token-section').hidden = true;
    $('workspace').hidden = false;
    $('forget-token').hidden = false;
    pageStatus('');

    const wanted = hashApp();
    let id = null;
    if (knows(wanted)) {
      id = wanted;
    } else if (knows(state.current)) {
      id = state.current;
    } else if (state.apps.length) {
      id = state.apps[0].app;
    }
    renderAppSelect(id);
    if (id !== null && id !== wanted) {
      history.replaceState(null, '', location.pathname + '#' + encodeURIComponent(id));
    }
    if (id === null) {
      showNoApp();
    } else if (id !== state.current || (!state.saved && !state.unsaved.has(id))) {
      await openApp(id);
    }
  }

  function hashApp() {
    try {
      const id = decodeURIComponent(location.hash.slice(1));
      return APP_ID.test(id) ? id : null;
    } catch (e) {
      return null; // a hand-made URL with a broken %-escape
    }
  }

  /** A link or bookmark to /dashboard#app, or Back and Forward, choose the app. */
  async function onHashChange() {
    const id = hashApp();
    if (id === null || id === state.current || !state.token) {
      return;
    }
    if (state.dirty && !window.confirm('Discard the unsaved changes to ' + state.current + '?')) {
      history.replaceState(null, '', location.pathname + '#' + encodeURIComponent(state.current));
      return;
    }
    // The app may have been added since the list was read: read it again.
    await guarded(loadWorkspace);
  }

  function knows(id) {
    return id !== null && (state.unsaved.has(id) || state.apps.some((a) => a.app === id));
  }

  function renderAppSelect(selected) {
    const select = $('app-select');
    const ids = new Set(state.apps.map((a) => a.app));
    state.unsaved.forEach((id) => ids.add(id));
    select.replaceChildren();
    [...ids].sort().forEach((id) => {
      const option = document.createElement('option');
      option.value = id;
      const view = state.apps.find((a) => a.app === id);
      let label = id;
      if (!view) {
        label += ' (not saved)';
      } else if (!view.enabled) {
        label += ' (not enabled)';
      }
      option.textContent = label;
      select.appendChild(option);
    });
    select.disabled = ids.size === 0;
    if (selected !== null && selected !== undefined) {
      select.value = selected;
    }
    $('app-note').textContent = ids.size === 0 ? 'No apps yet. Choose New app to add one.' : '';
  }

  function showNoApp() {
    state.current = null;
    state.saved = null;
    state.dirty = false;
    $('settings-form').hidden = true;
    $('stats').hidden = true;
    history.replaceState(null, '', location.pathname);
  }

  async function onSelectApp() {
    const id = $('app-select').value;
    if (id === state.current) {
      return;
    }
    if (state.dirty && !window.confirm('Discard the unsaved changes to ' + state.current + '?')) {
      $('app-select').value = state.current;
      return;
    }
    await guarded(() => openApp(id));
  }

  async function openApp(id) {
    const seq = ++state.loadSeq;
    state.current = id;
    history.replaceState(null, '', location.pathname + '#' + encodeURIComponent(id));
    clearResults();
    // Never show one app's counters under another's name while its own are loading.
    $('stats').hidden = true;
    $('stats-list').replaceChildren();
    result('stats-status', '', '');
    if (state.unsaved.has(id)) {
      state.saved = null;
      renderForm(id, null);
      return;
    }
    const r = await api('GET', appPath(id, '/settings'));
    if (seq !== state.loadSeq) {
      return; // another app was chosen meanwhile
    }
    if (r.status === 404) {
      // Deleted meanwhile (another tab, the API): show what is left.
      await loadWorkspaceAfterRemoval(id);
      pageStatus('App ' + id + ' does not exist (any more).');
      return;
    }
    if (r.status !== 200) {
      pageStatus('Could not load the settings of ' + id + ': ' + errorText(r));
      return;
    }
    state.saved = r.data;
    renderForm(id, r.data);
    await loadStats();
  }

  async function loadWorkspaceAfterRemoval(id) {
    state.apps = state.apps.filter((a) => a.app !== id);
    state.unsaved.delete(id);
    state.current = null;
    state.saved = null;
    await loadWorkspace();
  }

  function onNewApp() {
    $('new-app-form').hidden = false;
    setError('new-app-id', 'new-app-error', null);
    $('new-app-id').value = '';
    $('new-app-id').focus();
  }

  function closeNewApp() {
    $('new-app-form').hidden = true;
    $('new-app').focus();
  }

  async function onNewAppSubmit(event) {
    event.preventDefault();
    const id = $('new-app-id').value.trim();
    if (!APP_ID.test(id)) {
      setError('new-app-id', 'new-app-error',
        'Use 1 to 64 letters, digits, _ or -, with no spaces.');
      $('new-app-id').focus();
      return;
    }
    if (knows(id)) {
      setError('new-app-id', 'new-app-error',
        'App ' + id + ' exists already: choose it in the list.');
      $('new-app-id').focus();
      return;
    }
    if (state.dirty && !window.confirm('Discard the unsaved changes to ' + state.current + '?')) {
      return;
    }
    setError('new-app-id', 'new-app-error', null);
    state.unsaved.add(id);
    $('new-app-form').hidden = true;
    renderAppSelect(id);
    await guarded(() => openApp(id));
    $('sns_topic_arn').focus();
  }

  // --- Settings form -------------------------------------------------------------------------

  function renderForm(id, view) {
    clearErrors();
    $('settings-form').hidden = false;
    $('sns-heading').textContent = 'Amazon SNS for ' + id;
    $('app-note').textContent = view ? ''
      : 'App ' + id + ' is not saved yet: it exists once you save its settings.';
    $('declared-note').hidden = !(view && view.declared_in_properties);

    $('sns_topic_arn').value = view ? view.sns_topic_arn : '';
    checkRadio('sns_auth_type', view ? view.sns_auth_type : 'keys');

    // Stored credentials never come back: the key only masked, the secret not at all.
    $('sns_key').value = '';
    $('sns_secret').value = '';
    const keyStored = view && view.sns_auth_type === 'keys' && view.sns_key;
    $('sns_key-help').textContent = keyStored
      ? 'Stored key: ' + view.sns_key + '. Leave empty to keep it.'
      : 'Needed with access key authentication.';
    $('sns_secret-help').textContent = view && view.sns_secret_set
      ? 'A secret is stored; leave empty to keep it.'
      : 'Needed with access key authentication. It is never shown again after saving.';
    $('sns_role_arn').value = view && view.sns_role_arn ? view.sns_role_arn : '';

    const types = view ? view.event_types : [];
    checkRadio('types-mode', types.length ? 'only' : 'all');
    $('event-types-list').value = types.join('\n');
    $('enabled').checked = view ? view.enabled : true;
    $('sns_endpoint').value = view && view.sns_endpoint ? view.sns_endpoint : '';
    $('max_message_bytes').value = String(view ? view.max_message_bytes
      : DEFAULT_MAX_MESSAGE_BYTES);
    const moreChanged = view && (view.sns_endpoint
      || view.max_message_bytes !== DEFAULT_MAX_MESSAGE_BYTES);
    $('more-settings').open = Boolean(moreChanged);

    renderPolicy('resource', view ? view.resource_policy : null);
    renderPolicy('role', view ? view.role_trust_policy : null);
    $('delete-app').hidden = !view;
    $('delete-confirm').hidden = true;
    updateVisibility();
    state.dirty = false;
  }

  function renderPolicy(kind, policy) {
    const show = Boolean(policy && policy.statement);
    $(kind + '-policy').hidden = !show;
    $(kind + '-policy-pending').hidden = show;
    $(kind + '-policy-copied').textContent = '';
    if (!show) {
      return;
    }
    $(kind + '-policy-text').textContent = JSON.stringify(policy.statement, null, 2);
    $(kind + '-policy-note').textContent = policy.principal ? ''
      : 'The relay does not know its own AWS identity yet: set relay.aws.principal-arn '
        + '(or RELAY_AWS_PRINCIPAL_ARN) and replace <relay principal ARN> with it.';
  }

  function updateVisibility() {
    const auth = radioValue('sns_auth_type');
    $('keys-fields').hidden = auth !== 'keys';
    $('resource-fields').hidden = auth !== 'resource';
    $('role-fields').hidden = auth !== 'role';
    $('types-list-field').hidden = radioValue('types-mode') !== 'only';
  }

  /** The form as an API body, or null when it cannot be sent as is (errors shown). */
  function formSettings() {
    const body = {};
    body.sns_topic_arn = $('sns_topic_arn').value.trim() || null;
    const auth = radioValue('sns_auth_type') || 'keys';
    body.sns_auth_type = auth;
    if (auth === 'keys') {
      // Empty means "keep what is stored": the API keeps fields a request leaves out.
      const key = $('sns_key').value.trim();
      const secret = $('sns_secret').value.trim();
      if (key) {
        body.sns_key = key;
      }
      if (secret) {
        body.sns_secret = secret;
      }
    }
    if (auth === 'role') {
      body.sns_role_arn = $('sns_role_arn').value.trim() || null;
    }
    if (radioValue('types-mode') === 'only') {
      const types = $('event-types-list').value.split(/[\s,]+/).filter((t) => t !== '');
      if (!types.length) {
        showFieldError('event_types',
          'List at least one event type, or choose all event types.');
        return null;
      }
      body.event_types = [...new Set(types)];
    } else {
      body.event_types = [];
    }
    body.enabled = $('enabled').checked;
    body.sns_endpoint = $('sns_endpoint').value.trim() || null;
    const maxField = $('max_message_bytes');
    if (maxField.validity.badInput) {
      // The browser gives '' for what it cannot read as a number; that would mean "default".
      showFieldError('max_message_bytes', 'Enter a whole number of bytes.');
      return null;
    }
    const max = maxField.value.trim();
    body.max_message_bytes = max === '' ? null : Number(max);
    return body;
  }

  async function onSave(event) {
    event.preventDefault();
    if (state.busy || !state.current) {
      return;
    }
    const id = state.current;
    clearErrors();
    clearResults();
    const body = formSettings();
    if (!body) {
      result('save-status', 'Not saved: correct the marked field.', 'failed');
      return;
    }
    await guarded(async () => {
      result('save-status', 'Saving…', '');
      const r = await api('PATCH', appPath(id, '/settings'), body);
      if (r.status === 200 || r.status === 201) {
        state.unsaved.delete(id);
        state.apps = state.apps.filter((a) => a.app !== id).concat([r.data]);
        state.saved = r.data;
        renderAppSelect(id);
        renderForm(id, r.data);
        result('save-status', r.status === 201 ? 'App ' + id + ' created.'
          : 'Settings of ' + id + ' saved.', 'ok');
        await loadStats();
      } else if (r.status === 400 && r.data) {
        showApiError(r.data);
        result('save-status', 'Not saved: ' + (r.data.field
          ? 'correct the marked field.' : r.data.error), 'failed');
      } else {
        result('save-status', 'Not saved: ' + errorText(r), 'failed');
      }
    }, 'save-status');
  }

  async function onTestSns() {
    if (state.busy || !state.current) {
      return;
    }
    const id = state.current;
    clearErrors();
    clearResults();
    const body = formSettings();
    if (!body) {
      result('test-result', 'Not tested: correct the marked field.', 'failed');
      return;
    }
    await guarded(async () => {
      result('test-result', 'Publishing a test event…', '');
      const r = await api('POST', appPath(id, '/check_sns'), body);
      if (r.status === 200 && r.data && r.data.status === 'ok') {
        const messageId = r.data.data && r.data.data.message_id;
        result('test-result', 'SNS accepted the test event. Message id: ' + messageId, 'ok');
      } else if (r.status === 200 && r.data) {
        const error = String(r.data.error);
        if (error.length > LONG_MESSAGE) {
          // SDK errors can run to a page; the start says what failed, the rest on request.
          const start = error.slice(0, LONG_MESSAGE - 60).replace(/\s+\S*$/, '');
          result('test-result', 'SNS did not accept the test event: ' + start + '…', 'failed',
            error);
        } else {
          result('test-result', 'SNS did not accept the test event: ' + error, 'failed');
        }
      } else if (r.status === 400 && r.data) {
        showApiError(r.data);
        result('test-result', 'Not tested: ' + (r.data.field
          ? 'correct the marked field.' : r.data.error), 'failed');
      } else {
        result('test-result', 'Not tested: ' + errorText(r), 'failed');
      }
    }, 'test-result');
  }

  function onDelete() {
    const id = state.current;
    let question = 'Delete app ' + id + '? Its settings are removed, and the relay refuses '
      + 'its events from then on.';
    if (state.saved && state.saved.declared_in_properties) {
      question += ' application.properties declares it, so it comes back at the next start.';
    }
    $('delete-question').textContent = question;
    $('delete-confirm').hidden = false;
    $('delete-no').focus();
  }

  function onDeleteCancel() {
    $('delete-confirm').hidden = true;
    $('delete-app').focus();
  }

  async function onDeleteConfirm() {
    const id = state.current;
    await guarded(async () => {
      const r = await api('DELETE', appPath(id, ''));
      if (r.status !== 204 && r.status !== 404) {
        result('save-status', 'Not deleted: ' + errorText(r), 'failed');
        return;
      }
      $('delete-confirm').hidden = true;
      await loadWorkspaceAfterRemoval(id);
      pageStatus('App ' + id + ' deleted.');
      $('app-select').focus();
    }, 'save-status');
  }

  // --- Counters ------------------------------------------------------------------------------

  async function loadStats() {
    const id = state.current;
    if (!state.saved || state.saved.app !== id) {
      $('stats').hidden = true;
      return;
    }
    $('stats').hidden = false;
    const r = await api('GET', appPath(id, '/stats'));
    if (id !== state.current) {
      return;
    }
    if (r.status !== 200 || !r.data || !r.data.counters) {
      result('stats-status', 'Could not read the counters: ' + errorText(r), 'failed');
      return;
    }
    renderStats(r.data.counters);
    result('stats-status', 'Counters read at ' + new Date().toLocaleTimeString() + '.', '');
  }

  function renderStats(c) {
    const list = $('stats-list');
    list.replaceChildren();
    addStat(list, 'Received', c.received, null, 'stat-received');
    addStat(list, 'Published', c.published, null, 'stat-published');
    addStat(list, 'Dropped', null, c.dropped, 'stat-dropped', DROP_REASONS);
    addStat(list, 'Dead-lettered', null, c.dead_lettered, 'stat-dead-lettered');
    addStat(list, 'Refused at ingest', null, c.rejected, 'stat-rejected');
  }

  function addStat(list, label, count, byReason, id, names) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.id = id;
    const reasons = Object.entries(byReason || {});
    const total = count !== null ? count : reasons.reduce((sum, [, n]) => sum + n, 0);
    dd.textContent = String(total);
    if (reasons.length) {
      const ul = document.createElement('ul');
      reasons.forEach(([reason, n]) => {
        const li = document.createElement('li');
        const name = names && names[reason] ? names[reason] + ' (' + reason + ')' : reason;
        li.textContent = name + ': ' + n;
        ul.appendChild(li);
      });
      dd.appendChild(ul);
    }
    list.append(dt, dd);
  }

  // --- Copy ----------------------------------------------------------------------------------

  async function onCopy(event) {
    const button = event.currentTarget;
    const source = $(button.dataset.copy);
    const status = $(button.getAttribute('aria-describedby'));
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = 'Copied.';
    } catch (e) {
      // No clipboard access (permissions, older browser): select it for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      source.focus();
      status.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
    }
  }

  // --- Messages and errors -------------------------------------------------------------------

  function showApiError(error) {
    const target = error.field && FIELDS[error.field];
    if (target) {
      showFieldError(error.field, error.error);
    } else {
      $('form-error').textContent = error.error || 'The relay refused the settings.';
      $('form-error').hidden = false;
    }
  }

  function showFieldError(field, message) {
    const target = FIELDS[field];
    if (target.more) {
      $('more-settings').open = true;
    }
    setError(target.control, target.error, message);
    focusControl(target.control);
  }

  function focusControl(id) {
    const el = $(id);
    if (el.tagName === 'FIELDSET') {
      const radio = el.querySelector('input:checked') || el.querySelector('input');
      radio.focus();
    } else {
      el.focus();
    }
  }

  function setError(controlId, errorId, message) {
    const error = $(errorId);
    error.textContent = message || '';
    error.hidden = !message;
    const control = $(controlId);
    if (message) {
      control.setAttribute('aria-invalid', 'true');
    } else {
      control.removeAttribute('aria-invalid');
    }
  }

  function clearErrors() {
    Object.values(FIELDS).forEach((f) => setError(f.control, f.error, null));
    $('form-error').hidden = true;
    $('form-error').textContent = '';
  }

  function clearResults() {
    ['save-status', 'test-result'].forEach((id) => result(id, '', ''));
    pageStatus('');
  }

  /** Shows an outcome; `full`, when given, is a long text behind a "Full message" toggle. */
  function result(id, text, kind, full) {
    const el = $(id);
    el.textContent = text;
    if (full) {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = 'Full message';
      const body = document.createElement('p');
      body.textContent = full;
      details.append(summary, body);
      el.appendChild(details);
    }
    el.classList.toggle('ok', kind === 'ok');
    el.classList.toggle('failed', kind === 'failed');
  }

  function pageStatus(text) {
    $('page-status').textContent = text;
  }

  /** Runs one request at a time; failures other than a refused token end up in `where`. */
  async function guarded(action, where) {
    state.busy = true;
    try {
      await action();
    } catch (e) {
      const message = e instanceof Unauthorized
        ? 'Stopped: the relay refused the admin token. Nothing was changed.' : e.message;
      if (where) {
        result(where, message, 'failed');
      } else if (!(e instanceof Unauthorized)) {
        pageStatus(message);
      }
    } finally {
      state.busy = false;
    }
  }

  // --- Small helpers -------------------------------------------------------------------------

  function radioValue(name) {
    const checked = document.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  function checkRadio(name, value) {
    document.querySelectorAll('input[name="' + name + '"]').forEach((r) => {
      r.checked = r.value === value;
    });
  }

  // --- Start ---------------------------------------------------------------------------------

  function start() {
    $('token-form').addEventListener('submit', onTokenSubmit);
    $('forget-token').addEventListener('click', onForgetToken);
    $('app-select').addEventListener('change', onSelectApp);
    window.addEventListener('hashchange', onHashChange);
    $('new-app').addEventListener('click', onNewApp);
    $('new-app-form').addEventListener('submit', onNewAppSubmit);
    $('new-app-cancel').addEventListener('click', closeNewApp);
    $('new-app-form').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        closeNewApp();
      }
    });
    const form = $('settings-form');
    form.addEventListener('submit', onSave);
    form.addEventListener('input', () => {
      state.dirty = true;
    });
    form.addEventListener('change', () => {
      state.dirty = true;
      updateVisibility();
    });
    $('test-sns').addEventListener('click', onTestSns);
    $('delete-app').addEventListener('click', onDelete);
    $('delete-no').addEventListener('click', onDeleteCancel);
    $('delete-yes').addEventListener('click', onDeleteConfirm);
    $('stats-refresh').addEventListener('click', () => guarded(loadStats, 'stats-status'));
    document.querySelectorAll('button.copy').forEach((b) => b.addEventListener('click', onCopy));

    state.token = sessionStorage.getItem(TOKEN_KEY);
    if (!state.token) {
      askForToken(null);
      return;
    }
    loadWorkspace().catch((e) => {
      if (!(e instanceof Unauthorized)) {
        pageStatus(e.message);
      }
    });
  }

  start();
}());
