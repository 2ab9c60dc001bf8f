'use strict';
// One CometChat SDK user per process. The SDK keeps its session in static
// singletons, so two users in one process would share a login.
//
// Protocol, one JSON object per line:
//   stdin  {"id":1,"cmd":"init","appId":"…","host":"127.0.0.1:PORT/v3.0"}
//   stdout {"id":1,"ok":true,…}  or  {"id":1,"ok":false,"error":{"code":…,"message":…}}
//   stdout {"event":"onTextMessageReceived",…} for every listener callback
// Commands are the keys of `commands` below and run one at a time, in order.
// Besides listener callbacks the harness reports what no listener shows:
// ready (at start), wsAuth (the server's reply to the auth frame), wsPing,
// wsPong, wsClosed, wsError, and unhandledRejection / uncaughtException /
// listenerError when the SDK chokes on something the server sent.
// With SDKCOMPAT_TRACE=1 every HTTP request/response and WebSocket frame is
// written to stderr.

const trace = process.env.SDKCOMPAT_TRACE === '1';

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function errText(e) {
  if (e === undefined || e === null) return String(e);
  if (e instanceof Error) return e.stack || e.message;
  try {
    return JSON.stringify(e);
  } catch (_) {
    return String(e);
  }
}

// The SDK throws inside promise callbacks when a response lacks a field it
// needs; a browser would only log that. Report it so the driver fails loudly
// instead of waiting for a promise that never settles.
let loggedOut = false;
process.on('unhandledRejection', (reason) => {
  // The SDK reports the session to POST /user_sessions on a timer started
  // at login, and rejects without a handler when that fires after logout.
  // That is the SDK talking to itself (no request is made), not a reply of
  // the server.
  const code = reason && reason.error && reason.error.code;
  if (loggedOut && code === 'USER_NOT_LOGED_IN') {
    out({ event: 'rejectionAfterLogout', message: errText(reason) });
    return;
  }
  out({ event: 'unhandledRejection', message: errText(reason) });
});
process.on('uncaughtException', (err) => {
  out({ event: 'uncaughtException', message: errText(err) });
});

// ---- Browser globals the SDK reads (Node 20 has none of these). ----

class MemoryStorage {
  constructor() {
    this._m = new Map();
  }
  get length() {
    return this._m.size;
  }
  key(i) {
    const keys = Array.from(this._m.keys());
    return i >= 0 && i < keys.length ? keys[i] : null;
  }
  getItem(k) {
    k = String(k);
    return this._m.has(k) ? this._m.get(k) : null;
  }
  setItem(k, v) {
    this._m.set(String(k), String(v));
  }
  removeItem(k) {
    this._m.delete(String(k));
  }
  clear() {
    this._m.clear();
  }
}

function define(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
}

define('window', globalThis);
define('self', globalThis);
define('navigator', { userAgent: 'Mozilla/5.0 (cometterm-sdkcompat; Node ' + process.version + ')', language: 'en-US', onLine: true });
define('location', { origin: 'http://localhost', hostname: 'localhost', host: 'localhost', href: 'http://localhost/', protocol: 'http:', pathname: '/' });
define('document', {
  hasFocus: () => true,
  querySelector: () => null,
  getElementsByName: () => [],
  getElementsByTagName: () => [],
  createElement: () => ({ style: {}, setAttribute() {}, appendChild() {} }),
  addEventListener() {},
  removeEventListener() {},
  visibilityState: 'visible',
  hidden: false,
  referrer: '',
});
define('screen', { width: 1280, height: 800, availWidth: 1280, availHeight: 800, orientation: { type: 'landscape-primary' } });
define('matchMedia', () => ({ matches: false, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {} }));
define('localStorage', new MemoryStorage());
define('sessionStorage', new MemoryStorage());

const NodeWS = require('ws');

function parseFrame(data) {
  try {
    return JSON.parse(data.toString());
  } catch (_) {
    return undefined;
  }
}

// The SDK sets no onerror; `ws` throws on an 'error' event nobody listens to.
class BrowserishWebSocket extends NodeWS {
  constructor(url, protocols) {
    super(url, protocols);
    if (trace) process.stderr.write('ws connect ' + url + '\n');
    this.on('error', (e) => {
      out({ event: 'wsError', message: errText(e) });
    });
    // Keep-alive and close are invisible to SDK listeners; report them so
    // the driver can check the server's side of the ping/pong contract.
    this.on('message', (data) => {
      const f = parseFrame(data);
      if (f && f.type === undefined && f.action === 'pong') out({ event: 'wsPong' });
      // The server's answer to the auth frame: from here on it delivers to this socket.
      if (f && f.type === 'auth') out({ event: 'wsAuth', code: f.body && f.body.code, status: f.body && f.body.status });
    });
    this.on('close', (code, reason) => out({ event: 'wsClosed', code, reason: reason.toString() }));
    if (trace) {
      this.on('message', (data) => process.stderr.write('ws <- ' + data.toString() + '\n'));
      this.on('close', (code, reason) => process.stderr.write('ws closed ' + code + ' ' + reason + '\n'));
    }
  }
  send(data, ...rest) {
    if (trace) process.stderr.write('ws -> ' + data + '\n');
    const f = parseFrame(data);
    if (f && f.type === undefined && f.action === 'ping') out({ event: 'wsPing' });
    return super.send(data, ...rest);
  }
}
define('WebSocket', BrowserishWebSocket);

// The SDK passes referrer "no-referrer" (a policy word) as the referrer URL;
// browsers resolve it against the page, undici rejects it.
const nodeFetch = globalThis.fetch;
define('fetch', async (input, init) => {
  if (init && Object.prototype.hasOwnProperty.call(init, 'referrer')) {
    init = Object.assign({}, init);
    delete init.referrer;
  }
  if (!trace) return nodeFetch(input, init);
  const method = (init && init.method) || 'GET';
  process.stderr.write('http -> ' + method + ' ' + input + (init && init.body ? ' ' + init.body : '') + '\n');
  try {
    const res = await nodeFetch(input, init);
    const body = await res.clone().text();
    process.stderr.write('http <- ' + res.status + ' ' + method + ' ' + input + ' ' + body + '\n');
    return res;
  } catch (e) {
    process.stderr.write('http !! ' + method + ' ' + input + ' ' + errText(e) + '\n');
    throw e;
  }
});

const { CometChat } = require('@cometchat/chat-sdk-javascript');

// ---- Turning SDK objects into plain JSON, through the SDK's own getters. ----

function userJSON(u) {
  if (!u) return null;
  return { uid: u.getUid(), name: u.getName(), status: u.getStatus ? u.getStatus() : undefined };
}

function groupJSON(g) {
  if (!g) return null;
  return {
    guid: g.getGuid(),
    name: g.getName(),
    type: g.getType(),
    hasJoined: g.getHasJoined(),
    scope: g.getScope(),
    membersCount: g.getMembersCount(),
  };
}

function entityJSON(e) {
  if (!e) return null;
  if (e instanceof CometChat.Group) return Object.assign({ kind: 'group' }, groupJSON(e));
  if (e instanceof CometChat.User) return Object.assign({ kind: 'user' }, userJSON(e));
  return { kind: 'unknown', value: e };
}

function messageJSON(m) {
  if (!m) return null;
  const j = {
    class: m.constructor && m.constructor.name,
    id: m.getId(),
    muid: m.getMuid ? m.getMuid() : undefined,
    category: m.getCategory(),
    type: m.getType(),
    sender: userJSON(m.getSender()),
    receiverId: m.getReceiverId(),
    receiverType: m.getReceiverType(),
    conversationId: m.getConversationId(),
    sentAt: m.getSentAt(),
    isTextMessage: m instanceof CometChat.TextMessage,
  };
  if (m instanceof CometChat.TextMessage) j.text = m.getText();
  if (m instanceof CometChat.CustomMessage) j.customData = m.getCustomData();
  if (m instanceof CometChat.MediaMessage) {
    j.caption = m.getCaption();
    j.attachments = (m.getAttachments() || []).map((a) => ({
      url: a.getUrl(),
      name: a.getName(),
      mimeType: a.getMimeType(),
      extension: a.getExtension(),
      size: a.getSize(),
    }));
  }
  if (m.getParentMessageId && m.getParentMessageId()) j.parentMessageId = String(m.getParentMessageId());
  if (m.getReactions) {
    j.reactions = (m.getReactions() || []).map((r) => ({ reaction: r.getReaction(), count: r.getCount(), reactedByMe: r.getReactedByMe() }));
  }
  if (m instanceof CometChat.Action) {
    j.action = m.getAction();
    j.actionBy = entityJSON(m.getActionBy());
    j.actionFor = entityJSON(m.getActionFor());
    j.actionOn = entityJSON(m.getActionOn());
  }
  return j;
}

function reactionEventJSON(e) {
  const r = e.getReaction();
  return {
    receiverId: e.getReceiverId(),
    receiverType: e.getReceiverType(),
    conversationId: e.getConversationId(),
    reaction: {
      messageId: String(r.getMessageId()),
      reaction: r.getReaction(),
      uid: r.getUid(),
      reactedAt: r.getReactedAt(),
      reactedBy: userJSON(r.getReactedBy()),
    },
  };
}

function typingJSON(t) {
  return {
    receiverId: t.getReceiverId(),
    receiverType: t.getReceiverType(),
    sender: userJSON(t.getSender()),
    metadata: t.getMetadata(),
  };
}

function receiptJSON(r) {
  return {
    messageId: r.getMessageId(),
    sender: userJSON(r.getSender()),
    receiver: r.getReceiver(),
    receiverType: r.getReceiverType(),
    receiptType: r.getReceiptType(),
    readAt: r.getReadAt(),
    deliveredAt: r.getDeliveredAt(),
  };
}

function conversationJSON(c) {
  return {
    conversationId: c.getConversationId(),
    conversationType: c.getConversationType(),
    conversationWith: entityJSON(c.getConversationWith()),
    lastMessage: c.getLastMessage() ? messageJSON(c.getLastMessage()) : null,
    unreadMessageCount: c.getUnreadMessageCount(),
  };
}

// Every message seen, so that receipts can be sent for it later by id.
const seen = new Map();
function remember(m) {
  if (m && m.getId && m.getId() !== undefined) seen.set(String(m.getId()), m);
  return m;
}

function emit(name, fields) {
  out(Object.assign({ event: name }, fields));
}

// Guard each callback: a serialisation error must surface, not vanish inside the SDK.
function guarded(name, fn) {
  return (...args) => {
    try {
      emit(name, fn(...args));
    } catch (e) {
      emit('listenerError', { listener: name, message: errText(e) });
    }
  };
}

function addListeners() {
  const L = 'sdkcompat';
  CometChat.addMessageListener(
    L,
    new CometChat.MessageListener({
      onTextMessageReceived: guarded('onTextMessageReceived', (m) => ({ message: messageJSON(remember(m)) })),
      onMediaMessageReceived: guarded('onMediaMessageReceived', (m) => ({ message: messageJSON(remember(m)) })),
      onCustomMessageReceived: guarded('onCustomMessageReceived', (m) => ({ message: messageJSON(remember(m)) })),
      onTypingStarted: guarded('onTypingStarted', (t) => ({ typing: typingJSON(t) })),
      onTypingEnded: guarded('onTypingEnded', (t) => ({ typing: typingJSON(t) })),
      onMessagesDelivered: guarded('onMessagesDelivered', (r) => ({ receipt: receiptJSON(r) })),
      onMessagesRead: guarded('onMessagesRead', (r) => ({ receipt: receiptJSON(r) })),
      onTransientMessageReceived: guarded('onTransientMessageReceived', (t) => ({
        transient: { receiverId: t.getReceiverId(), receiverType: t.getReceiverType(), data: t.getData(), sender: userJSON(t.getSender()) },
      })),
      onMessageReactionAdded: guarded('onMessageReactionAdded', (e) => reactionEventJSON(e)),
      onMessageReactionRemoved: guarded('onMessageReactionRemoved', (e) => reactionEventJSON(e)),
      onMessageEdited: guarded('onMessageEdited', (m) => ({ message: messageJSON(m), editedAt: m.getEditedAt(), editedBy: m.getEditedBy() })),
      onMessageDeleted: guarded('onMessageDeleted', (m) => ({ message: messageJSON(m), deletedAt: m.getDeletedAt(), deletedBy: m.getDeletedBy() })),
    }),
  );
  CometChat.addUserListener(
    L,
    new CometChat.UserListener({
      onUserOnline: guarded('onUserOnline', (u) => ({ user: userJSON(u) })),
      onUserOffline: guarded('onUserOffline', (u) => ({ user: userJSON(u) })),
    }),
  );
  CometChat.addGroupListener(
    L,
    new CometChat.GroupListener({
      onGroupMemberJoined: guarded('onGroupMemberJoined', (action, user, group) => ({
        action: messageJSON(action),
        user: userJSON(user),
        group: groupJSON(group),
      })),
      onGroupMemberScopeChanged: guarded('onGroupMemberScopeChanged', (action, user, newScope, oldScope, group) => ({
        action: messageJSON(action),
        user: userJSON(user),
        newScope,
        oldScope,
        group: groupJSON(group),
      })),
      onGroupMemberKicked: guarded('onGroupMemberKicked', (action, kicked, by, group) => ({
        action: messageJSON(action),
        user: userJSON(kicked),
        by: userJSON(by),
        group: groupJSON(group),
      })),
      onGroupMemberBanned: guarded('onGroupMemberBanned', (action, banned, by, group) => ({
        action: messageJSON(action),
        user: userJSON(banned),
        by: userJSON(by),
        group: groupJSON(group),
      })),
      onMemberAddedToGroup: guarded('onMemberAddedToGroup', (action, added, by, group) => ({
        action: messageJSON(action),
        user: userJSON(added),
        by: userJSON(by),
        group: groupJSON(group),
      })),
      onGroupMemberLeft: guarded('onGroupMemberLeft', (action, user, group) => ({
        action: messageJSON(action),
        user: userJSON(user),
        group: groupJSON(group),
      })),
    }),
  );
  CometChat.addConnectionListener(
    L,
    new CometChat.ConnectionListener({
      onConnected: guarded('onConnected', () => ({})),
      inConnecting: guarded('inConnecting', () => ({})),
      onDisconnected: guarded('onDisconnected', () => ({})),
    }),
  );
}

function need(c, key) {
  if (c[key] === undefined || c[key] === null || c[key] === '') throw new Error('missing "' + key + '"');
  return c[key];
}

const commands = {
  async init(c) {
    const host = need(c, 'host');
    const settings = new CometChat.AppSettingsBuilder()
      .subscribePresenceForAllUsers()
      .setRegion(c.region || 'us')
      .overrideClientHost(host)
      .overrideAdminHost(host)
      .autoEstablishSocketConnection(true)
      .build();
    const inited = await CometChat.init(need(c, 'appId'), settings);
    addListeners();
    return { initialized: inited };
  },

  async login(c) {
    const u = await CometChat.login(need(c, 'uid'), need(c, 'authKey'));
    return { user: userJSON(u) };
  },

  async connectionStatus() {
    return { status: CometChat.getConnectionStatus() };
  },

  async sendText(c) {
    const m = new CometChat.TextMessage(need(c, 'receiver'), need(c, 'text'), c.receiverType || CometChat.RECEIVER_TYPE.USER);
    const sent = await CometChat.sendMessage(m);
    return { message: messageJSON(remember(sent)) };
  },

  async startTyping(c) {
    CometChat.startTyping(new CometChat.TypingIndicator(need(c, 'receiver'), c.receiverType || CometChat.RECEIVER_TYPE.USER));
    return {};
  },

  async endTyping(c) {
    CometChat.endTyping(new CometChat.TypingIndicator(need(c, 'receiver'), c.receiverType || CometChat.RECEIVER_TYPE.USER));
    return {};
  },

  async markAsRead(c) {
    const id = String(need(c, 'messageId'));
    const m = seen.get(id);
    if (!m) throw new Error('message ' + id + ' was never seen by this user');
    await CometChat.markAsRead(m);
    return {};
  },

  async markAsDelivered(c) {
    const id = String(need(c, 'messageId'));
    const m = seen.get(id);
    if (!m) throw new Error('message ' + id + ' was never seen by this user');
    await CometChat.markAsDelivered(m);
    return {};
  },

  async fetchPrevious(c) {
    let b = new CometChat.MessagesRequestBuilder().setLimit(c.limit || 30);
    if (c.uid) b = b.setUID(c.uid);
    else b = b.setGUID(need(c, 'guid'));
    const req = b.build();
    const pages = [];
    // Bounded: the SDK signals the end with an empty page.
    for (let i = 0; i < (c.maxPages || 1); i++) {
      const list = await req.fetchPrevious();
      pages.push(list.map((m) => messageJSON(remember(m))));
      if (list.length === 0) break;
    }
    return { pages };
  },

  async fetchConversations(c) {
    const req = new CometChat.ConversationsRequestBuilder().setLimit(c.limit || 30).build();
    const pages = [];
    for (let i = 0; i < (c.maxPages || 1); i++) {
      const list = await req.fetchNext();
      pages.push(list.map(conversationJSON));
      if (list.length === 0) break;
    }
    return { pages };
  },

  async editText(c) {
    const m = new CometChat.TextMessage(need(c, 'receiver'), need(c, 'text'), c.receiverType || CometChat.RECEIVER_TYPE.USER);
    m.setId(need(c, 'messageId'));
    const edited = await CometChat.editMessage(m);
    return { message: messageJSON(edited), editedAt: edited.getEditedAt(), editedBy: edited.getEditedBy() };
  },

  async deleteMessage(c) {
    const deleted = await CometChat.deleteMessage(need(c, 'messageId'));
    return { message: messageJSON(deleted), deletedAt: deleted.getDeletedAt(), deletedBy: deleted.getDeletedBy() };
  },

  async leaveGroup(c) {
    const left = await CometChat.leaveGroup(need(c, 'guid'));
    return { left };
  },

  async sendCustom(c) {
    const m = new CometChat.CustomMessage(need(c, 'receiver'), c.receiverType || CometChat.RECEIVER_TYPE.USER, need(c, 'customType'), need(c, 'customData'));
    const sent = await CometChat.sendCustomMessage(m);
    return { message: messageJSON(remember(sent)) };
  },

  // A media message whose file is already hosted: the SDK sends its
  // attachment (url, name, mimeType, extension, size) without an upload.
  async sendMediaURL(c) {
    const m = new CometChat.MediaMessage(need(c, 'receiver'), null, c.mediaType || CometChat.MESSAGE_TYPE.IMAGE, c.receiverType || CometChat.RECEIVER_TYPE.USER);
    m.setAttachments([new CometChat.Attachment(need(c, 'attachment'))]);
    if (c.caption) m.setCaption(c.caption);
    const sent = await CometChat.sendMediaMessage(m);
    return { message: messageJSON(remember(sent)) };
  },

  async sendTransient(c) {
    CometChat.sendTransientMessage(new CometChat.TransientMessage(need(c, 'receiver'), c.receiverType || CometChat.RECEIVER_TYPE.USER, need(c, 'data')));
    return {};
  },

  async sendThreadReply(c) {
    const m = new CometChat.TextMessage(need(c, 'receiver'), need(c, 'text'), c.receiverType || CometChat.RECEIVER_TYPE.USER);
    m.setParentMessageId(Number(need(c, 'parentId')));
    const sent = await CometChat.sendMessage(m);
    return { message: messageJSON(remember(sent)) };
  },

  async fetchThread(c) {
    const req = new CometChat.MessagesRequestBuilder().setParentMessageId(Number(need(c, 'parentId'))).setLimit(c.limit || 30).build();
    const list = await req.fetchPrevious();
    return { messages: list.map((m) => messageJSON(remember(m))) };
  },

  async addReaction(c) {
    return { message: messageJSON(await CometChat.addReaction(need(c, 'messageId'), need(c, 'reaction'))) };
  },

  async removeReaction(c) {
    return { message: messageJSON(await CometChat.removeReaction(need(c, 'messageId'), need(c, 'reaction'))) };
  },

  async unreadCounts() {
    return { counts: await CometChat.getUnreadMessageCount() };
  },

  async markConversationAsRead(c) {
    await CometChat.markConversationAsRead(need(c, 'with'), need(c, 'type'));
    return {};
  },

  async blockUsers(c) {
    return { result: await CometChat.blockUsers(need(c, 'uids')) };
  },

  async unblockUsers(c) {
    return { result: await CometChat.unblockUsers(need(c, 'uids')) };
  },

  async createGroup(c) {
    const g = new CometChat.Group(need(c, 'guid'), need(c, 'name'), c.type || CometChat.GROUP_TYPE.PUBLIC, c.password || '');
    return { group: groupJSON(await CometChat.createGroup(g)) };
  },

  async updateScope(c) {
    return { updated: await CometChat.updateGroupMemberScope(need(c, 'guid'), need(c, 'uid'), need(c, 'scope')) };
  },

  async kick(c) {
    return { kicked: await CometChat.kickGroupMember(need(c, 'guid'), need(c, 'uid')) };
  },

  async fetchUsers(c) {
    const req = new CometChat.UsersRequestBuilder().setLimit(c.limit || 30).build();
    const list = await req.fetchNext();
    return { users: list.map(userJSON) };
  },

  async getUser(c) {
    return { user: userJSON(await CometChat.getUser(need(c, 'uid'))) };
  },

  async fetchGroups(c) {
    const req = new CometChat.GroupsRequestBuilder().setLimit(c.limit || 30).build();
    const list = await req.fetchNext();
    return { groups: list.map(groupJSON) };
  },

  async getGroup(c) {
    return { group: groupJSON(await CometChat.getGroup(need(c, 'guid'))) };
  },

  async fetchGroupMembers(c) {
    const req = new CometChat.GroupMembersRequestBuilder(need(c, 'guid')).setLimit(c.limit || 30).build();
    const list = await req.fetchNext();
    return { members: list.map((m) => Object.assign(userJSON(m), { scope: m.getScope(), joinedAt: m.getJoinedAt() })) };
  },

  async joinGroup(c) {
    const g = await CometChat.joinGroup(need(c, 'guid'), c.type || CometChat.GROUP_TYPE.PUBLIC, c.password);
    return { group: groupJSON(g) };
  },

  async logout() {
    await CometChat.logout();
    loggedOut = true;
    return {};
  },

  async exit() {
    setImmediate(() => process.exit(0));
    return {};
  },
};

async function handle(line) {
  let c;
  try {
    c = JSON.parse(line);
  } catch (e) {
    out({ ok: false, error: { code: 'BAD_JSON', message: errText(e) } });
    return;
  }
  const fn = commands[c.cmd];
  if (!fn) {
    out({ id: c.id, ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'unknown command ' + c.cmd } });
    return;
  }
  try {
    const res = await fn(c);
    out(Object.assign({}, res, { id: c.id, ok: true }));
  } catch (e) {
    // SDK errors are CometChatException objects: {code, name, message, details}.
    const code = e && e.code !== undefined ? e.code : 'EXCEPTION';
    out({ id: c.id, ok: false, error: { code: String(code), message: e && e.message ? e.message : errText(e), detail: errText(e) } });
  }
}

const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
// Commands run one at a time, in order, like a user clicking through an app.
let queue = Promise.resolve();
rl.on('line', (line) => {
  if (line.trim() !== '') queue = queue.then(() => handle(line));
});
// End of input: finish what was asked (a little while at most: an SDK promise
// may never settle), then stop, whatever timers the SDK holds.
rl.on('close', () => {
  setTimeout(() => process.exit(0), 2000).unref();
  queue.then(() => process.exit(0));
});
out({ event: 'ready', sdkVersion: require('@cometchat/chat-sdk-javascript/package.json').version, node: process.version });
