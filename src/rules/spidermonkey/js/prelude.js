// Gatehouse rules prelude: runs once per tenant global (realm) on each worker,
// before any rule. It receives the host's native functions `N` and returns the
// internal pipeline object; neither `N` nor that object is reachable from rules.
// Everything rules see (SPEC §4.3) is defined here on top of `N`.
(function (N) {
  'use strict';
  const G = globalThis;
  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, {value, writable: true, configurable: true, enumerable: false});

  // ---- sandbox: nothing that shares memory or compiles native code
  delete G.SharedArrayBuffer;
  delete G.WebAssembly;
  delete G.Atomics;

  // ---- byte strings (one char per byte) <-> Uint8Array
  function bytesToArray(bytes, Ctor) {
    const out = new Ctor(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
    return out;
  }
  function arrayToBytes(arr) {
    let s = '';
    for (let i = 0; i < arr.length; i += 8192) {
      s += String.fromCharCode.apply(null, arr.subarray(i, i + 8192));
    }
    return s;
  }

  // ---- ArrayBuffer / typed-array accounting: their contents live outside the
  // JS heap, so every allocation is charged against the execution's budget.
  function elementsOf(arg) {
    if (typeof arg === 'number') return arg;
    if (arg === undefined || arg === null) return 0;
    if (typeof arg !== 'object' && typeof arg !== 'function') return Number(arg) || 0;
    if (arg instanceof OrigArrayBuffer) return 0;  // a view on an existing buffer
    const len = arg.length;
    return typeof len === 'number' ? len : 0;
  }
  const OrigArrayBuffer = ArrayBuffer;
  function charged(Ctor, bytesPer) {
    const proxy = new Proxy(Ctor, {
      construct(target, args, newTarget) {
        const n = elementsOf(args[0]);
        if (n > 0) N.chargeBytes(n * bytesPer);
        return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
      },
      apply(target, self, args) { return Reflect.apply(target, self, args); },
    });
    define(Ctor.prototype, 'constructor', proxy);
    define(G, Ctor.name, proxy);
    return proxy;
  }
  charged(ArrayBuffer, 1);
  for (const C of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
                   Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array]) {
    charged(C, C.BYTES_PER_ELEMENT);
  }

  // ---- console, captured per execution
  function formatArg(a) {
    if (typeof a === 'string') return a;
    if (a instanceof Error) return a.stack ? `${a.name}: ${a.message}\n${a.stack}` : String(a);
    if (typeof a === 'function') return `[Function: ${a.name || 'anonymous'}]`;
    if (a === undefined) return 'undefined';
    if (typeof a === 'bigint') return `${a}n`;
    try {
      const s = JSON.stringify(a);
      return s === undefined ? String(a) : s;
    } catch (e) {
      return String(a);
    }
  }
  function format(args) {
    if (typeof args[0] === 'string' && args.length > 1 && /%[sdifjoO%]/.test(args[0])) {
      let i = 1;
      const head = args[0].replace(/%([sdifjoO%])/g, (m, c) => {
        if (c === '%') return '%';
        if (i >= args.length) return m;
        const v = args[i++];
        if (c === 'd' || c === 'i') return String(c === 'i' ? parseInt(v) : Number(v));
        if (c === 'f') return String(parseFloat(v));
        if (c === 's') return typeof v === 'string' ? v : formatArg(v);
        return formatArg(v);
      });
      return [head].concat(args.slice(i).map(formatArg)).join(' ');
    }
    return Array.prototype.map.call(args, formatArg).join(' ');
  }
  const consoleObj = {};
  for (const level of ['log', 'info', 'warn', 'error']) {
    define(consoleObj, level, function (...args) { N.log(level, format(args)); });
  }
  define(consoleObj, 'debug', consoleObj.log);
  define(G, 'console', consoleObj);

  // ---- timers, driven by the host's event loop
  const timers = new Map();
  define(G, 'setTimeout', function setTimeout(fn, delay, ...args) {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const id = N.setTimer(Math.max(0, Number(delay) || 0));
    timers.set(id, () => fn(...args));
    return id;
  });
  define(G, 'clearTimeout', function clearTimeout(id) {
    if (timers.delete(id)) N.clearTimer(id);
  });
  define(G, 'setImmediate', (fn, ...args) => G.setTimeout(fn, 0, ...args));

  // ---- UnauthorizedError (SPEC §3.5)
  class UnauthorizedError extends Error {
    constructor(message) {
      super(message);
      this.name = 'UnauthorizedError';
    }
  }
  define(G, 'UnauthorizedError', UnauthorizedError);

  // ---- URL / URLSearchParams (WHATWG subset for http(s)-style URLs)
  const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g,
      (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return s; } };
  class URLSearchParams {
    constructor(init) {
      define(this, '_list', []);
      define(this, '_url', null);
      if (init === undefined || init === null) return;
      if (typeof init === 'object') {
        const entries = typeof init[Symbol.iterator] === 'function' ? init : Object.entries(init);
        for (const [k, v] of entries) this._list.push([String(k), String(v)]);
        return;
      }
      let s = String(init);
      if (s[0] === '?') s = s.slice(1);
      for (const part of s.split('&')) {
        if (!part) continue;
        const eq = part.indexOf('=');
        this._list.push(eq < 0 ? [dec(part), ''] : [dec(part.slice(0, eq)), dec(part.slice(eq + 1))]);
      }
    }
    _changed() { if (this._url) this._url._query = this.toString(); }
    append(k, v) { this._list.push([String(k), String(v)]); this._changed(); }
    delete(k) { this._list = this._list.filter(([n]) => n !== String(k)); this._changed(); }
    get(k) { const e = this._list.find(([n]) => n === String(k)); return e ? e[1] : null; }
    getAll(k) { return this._list.filter(([n]) => n === String(k)).map(([, v]) => v); }
    has(k) { return this._list.some(([n]) => n === String(k)); }
    set(k, v) {
      k = String(k);
      const i = this._list.findIndex(([n]) => n === k);
      if (i < 0) this._list.push([k, String(v)]);
      else this._list = this._list.filter(([n], j) => j <= i || n !== k), this._list[i][1] = String(v);
      this._changed();
    }
    sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._changed(); }
    forEach(fn, self) { for (const [k, v] of this._list) fn.call(self, v, k, this); }
    keys() { return this._list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
    entries() { return this._list.map(([k, v]) => [k, v])[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    get size() { return this._list.length; }
    toString() { return this._list.map(([k, v]) => enc(k) + '=' + enc(v)).join('&'); }
  }
  const kDefaultPorts = {'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21'};
  const kUrlRe = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/(?:([^:@\/?#]*)(?::([^@\/?#]*))?@)?(\[[^\]]*\]|[^:\/?#]*)(?::(\d*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/;
  function removeDots(path) {
    const out = [];
    for (const seg of path.split('/').slice(1)) {
      if (seg === '..') { if (out.length) out.pop(); } else if (seg !== '.') out.push(seg);
    }
    const last = path.split('/').pop();
    return '/' + out.join('/') + (last === '.' || last === '..' ? (out.length ? '/' : '') : '');
  }
  class URL {
    constructor(input, base) {
      input = String(input).trim();
      let m = kUrlRe.exec(input);
      if (!m) {
        if (base === undefined) throw new TypeError(`Invalid URL: ${input}`);
        const b = new URL(base);
        let path = b.pathname, query = b._query, hash = '';
        let rest = input;
        const hi = rest.indexOf('#');
        if (hi >= 0) { hash = rest.slice(hi); rest = rest.slice(0, hi); }
        const qi = rest.indexOf('?');
        if (qi >= 0) { query = rest.slice(qi + 1); rest = rest.slice(0, qi); } else if (rest) query = '';
        if (rest.startsWith('//')) return new URL(b.protocol + input);
        if (rest.startsWith('/')) path = rest;
        else if (rest) path = path.replace(/[^/]*$/, '') + rest;
        input = `${b.protocol}//${b._auth()}${b.host}${removeDots(path)}${query ? '?' + query : ''}${hash}`;
        m = kUrlRe.exec(input);
      }
      const special = m[1].toLowerCase() in kDefaultPorts || m[1].toLowerCase() === 'file:';
      if (special && m[4] === undefined) throw new TypeError(`Invalid URL: ${input}`);
      if (/[\s<>^`{|}]/.test(m[4] || '')) throw new TypeError(`Invalid URL: ${input}`);
      define(this, '_protocol', m[1].toLowerCase());
      define(this, '_username', m[2] || '');
      define(this, '_password', m[3] || '');
      define(this, '_hostname', (m[4] || '').toLowerCase());
      const port = m[5] || '';
      define(this, '_port', kDefaultPorts[this._protocol] === port ? '' : port);
      let path = (m[6] || '').replace(/\\/g, '/');
      if (special) path = removeDots(path || '/');
      define(this, '_path', path.replace(/[ "<>`{}]/g, (c) => encodeURIComponent(c)));
      define(this, '_query', m[7] ? m[7].slice(1).replace(/[ "<>`]/g, (c) => encodeURIComponent(c)) : null);
      define(this, '_hash', m[8] ? m[8].slice(1) : null);
      const sp = new URLSearchParams(this._query || '');
      sp._url = this;
      define(this, '_params', sp);
    }
    _auth() { return this._username || this._password ? `${this._username}${this._password ? ':' + this._password : ''}@` : ''; }
    get protocol() { return this._protocol; }
    get username() { return this._username; }
    get password() { return this._password; }
    get hostname() { return this._hostname; }
    set hostname(v) { this._hostname = String(v).toLowerCase(); }
    get port() { return this._port; }
    set port(v) { v = String(v); this._port = kDefaultPorts[this._protocol] === v ? '' : v; }
    get host() { return this._hostname + (this._port ? ':' + this._port : ''); }
    get origin() { return this._protocol in kDefaultPorts ? `${this._protocol}//${this.host}` : 'null'; }
    get pathname() { return this._path; }
    set pathname(v) { v = String(v); this._path = v.startsWith('/') ? v : '/' + v; }
    get search() { return this._query ? '?' + this._query : ''; }
    set search(v) {
      v = String(v);
      this._query = v.startsWith('?') ? v.slice(1) : v;
      const sp = new URLSearchParams(this._query);
      this._params._list = sp._list;
    }
    get searchParams() { return this._params; }
    get hash() { return this._hash ? '#' + this._hash : ''; }
    set hash(v) { v = String(v); this._hash = v.startsWith('#') ? v.slice(1) : v; }
    get href() {
      const authority = this._hostname !== '' || this._protocol in kDefaultPorts || this._protocol === 'file:'
          ? `//${this._auth()}${this.host}` : '';
      return `${this._protocol}${authority}${this._path}${this.search}${this.hash}`;
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
  }
  define(G, 'URL', URL);
  define(G, 'URLSearchParams', URLSearchParams);

  // ---- Buffer (subset, SPEC §4.3)
  class Buffer extends Uint8Array {
    static from(value, encoding) {
      if (typeof value === 'string') return Buffer._fromBytes(Buffer._encode(value, encoding));
      if (value instanceof OrigArrayBuffer) return new Buffer(value);
      if (value && typeof value.length === 'number') {
        const b = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) b[i] = value[i] & 255;
        return b;
      }
      throw new TypeError('The first argument must be of type string, Buffer, ArrayBuffer or Array');
    }
    static _encode(s, encoding) {
      switch ((encoding || 'utf8').toLowerCase()) {
        case 'utf8': case 'utf-8': return N.utf8Encode(s);
        case 'base64': case 'base64url': return N.b64Decode(s);
        case 'hex': {
          let h = s.length % 2 ? s.slice(0, -1) : s;
          const m = /^(?:[0-9a-fA-F]{2})*/.exec(h);
          h = m[0];
          let out = '';
          for (let i = 0; i < h.length; i += 2) out += String.fromCharCode(parseInt(h.substr(i, 2), 16));
          return out;
        }
        case 'latin1': case 'binary': case 'ascii':
          return s.replace(/[^\x00-\xff]/g, (c) => String.fromCharCode(c.charCodeAt(0) & 255));
        default: throw new TypeError(`Unknown encoding: ${encoding}`);
      }
    }
    static _fromBytes(bytes) { return bytesToArray(bytes, Buffer); }
    static alloc(n, fill) { const b = new Buffer(n); if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : 0); return b; }
    static isBuffer(b) { return b instanceof Buffer; }
    static byteLength(s, encoding) {
      if (typeof s !== 'string') return s.byteLength;
      return Buffer._encode(s, encoding).length;
    }
    static concat(list, total) {
      if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
      const out = new Buffer(total);
      let at = 0;
      for (const b of list) { if (at >= total) break; out.set(b.subarray(0, total - at), at); at += b.length; }
      return out;
    }
    toString(encoding, start, end) {
      const view = this.subarray(start || 0, end === undefined ? this.length : end);
      const bytes = arrayToBytes(view);
      switch ((encoding || 'utf8').toLowerCase()) {
        case 'utf8': case 'utf-8': return N.utf8Decode(bytes);
        case 'base64': return N.b64Encode(bytes, false);
        case 'base64url': return N.b64Encode(bytes, true);
        case 'hex': { let h = ''; for (let i = 0; i < view.length; i++) h += (view[i] < 16 ? '0' : '') + view[i].toString(16); return h; }
        case 'latin1': case 'binary': case 'ascii': return bytes;
        default: throw new TypeError(`Unknown encoding: ${encoding}`);
      }
    }
    equals(other) { return arrayToBytes(this) === arrayToBytes(other); }
    toJSON() { return {type: 'Buffer', data: Array.from(this)}; }
    _bytes() { return arrayToBytes(this); }
  }
  define(G, 'Buffer', Buffer);
  // Bytes of a string (utf8), Buffer or typed array, as a byte string.
  function toBytes(v, encoding) {
    if (typeof v === 'string') return Buffer._encode(v, encoding);
    if (v instanceof Uint8Array) return arrayToBytes(v);
    if (ArrayBuffer.isView(v)) return arrayToBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (v instanceof OrigArrayBuffer) return arrayToBytes(new Uint8Array(v));
    throw new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView');
  }

  // ---- crypto (subset)
  const hashNames = {sha256: 'sha256', 'sha-256': 'sha256', sha384: 'sha384', 'sha-384': 'sha384', sha512: 'sha512', 'sha-512': 'sha512'};
  function hashName(alg) {
    const n = hashNames[String(alg).toLowerCase()];
    if (!n) throw new Error(`Digest method not supported: ${alg} (sha256, sha384, sha512 are)`);
    return n;
  }
  function output(bytes, encoding) {
    return encoding === undefined ? Buffer._fromBytes(bytes) : Buffer._fromBytes(bytes).toString(encoding);
  }
  class Hash {
    constructor(alg, key) { this._alg = hashName(alg); this._key = key; this._data = ''; }
    update(data, encoding) { this._data += toBytes(data, encoding); return this; }
    digest(encoding) {
      const bytes = this._key === undefined ? N.digest(this._alg, this._data) : N.hmac(this._alg, this._key, this._data);
      return output(bytes, encoding);
    }
  }
  function randomUUID() {
    const b = N.randomBytes(16);
    let h = '';
    for (let i = 0; i < 16; i++) {
      let c = b.charCodeAt(i);
      if (i === 6) c = (c & 0x0f) | 0x40;
      if (i === 8) c = (c & 0x3f) | 0x80;
      h += (c < 16 ? '0' : '') + c.toString(16);
      if (i === 3 || i === 5 || i === 7 || i === 9) h += '-';
    }
    return h;
  }
  const cryptoModule = Object.freeze({
    randomBytes(n, cb) {
      if (!Number.isInteger(n) || n < 0 || n > 65536) throw new RangeError('The value of "size" is out of range.');
      const b = Buffer._fromBytes(N.randomBytes(n));
      if (typeof cb === 'function') { G.setTimeout(() => cb(null, b), 0); return undefined; }
      return b;
    },
    randomUUID,
    createHash(alg) { return new Hash(alg); },
    createHmac(alg, key) { return new Hash(alg, toBytes(key)); },
    timingSafeEqual(a, b) {
      const x = toBytes(a), y = toBytes(b);
      if (x.length !== y.length) throw new RangeError('Input buffers must have the same byte length');
      let d = 0;
      for (let i = 0; i < x.length; i++) d |= x.charCodeAt(i) ^ y.charCodeAt(i);
      return d === 0;
    },
  });

  const uuidModule = Object.freeze({
    v4: randomUUID,
    validate: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(String(s)),
    NIL: '00000000-0000-0000-0000-000000000000',
  });

  // ---- querystring
  const qsEscape = (s) => encodeURIComponent(s);
  const qsUnescape = (s) => dec(s);
  const querystringModule = {
    escape: qsEscape,
    unescape: qsUnescape,
    parse(str, sep = '&', eq = '=') {
      const out = Object.create(null);
      if (typeof str !== 'string' || !str) return out;
      for (const part of str.split(sep)) {
        if (!part) continue;
        const i = part.indexOf(eq);
        const k = qsUnescape(i < 0 ? part : part.slice(0, i));
        const v = i < 0 ? '' : qsUnescape(part.slice(i + eq.length));
        if (!(k in out)) out[k] = v;
        else if (Array.isArray(out[k])) out[k].push(v);
        else out[k] = [out[k], v];
      }
      return out;
    },
    stringify(obj, sep = '&', eq = '=') {
      if (!obj || typeof obj !== 'object') return '';
      const val = (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') && (typeof v !== 'number' || isFinite(v)) ? String(v) : '';
      return Object.keys(obj).map((k) => {
        const v = obj[k];
        if (Array.isArray(v)) return v.map((x) => qsEscape(k) + eq + qsEscape(val(x))).join(sep);
        return qsEscape(k) + eq + qsEscape(val(v));
      }).join(sep);
    },
  };
  querystringModule.decode = querystringModule.parse;
  querystringModule.encode = querystringModule.stringify;
  Object.freeze(querystringModule);

  // ---- jsonwebtoken (the npm package's API, names and messages; crypto in C++)
  function makeErrorClass(name, Base, init) {
    const C = {[name]: class extends Base {
      constructor(message, extra) {
        super(message);
        this.name = name;
        if (init) init(this, extra);
      }
    }}[name];
    return C;
  }
  const JsonWebTokenError = makeErrorClass('JsonWebTokenError', Error, (e, inner) => { if (inner) e.inner = inner; });
  const TokenExpiredError = makeErrorClass('TokenExpiredError', JsonWebTokenError, (e, at) => { e.expiredAt = at; });
  const NotBeforeError = makeErrorClass('NotBeforeError', JsonWebTokenError, (e, at) => { e.date = at; });

  const kAlgs = {HS256: 'sha256', HS384: 'sha384', HS512: 'sha512', RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES256: 'sha256'};
  const kSecretAlgs = ['HS256', 'HS384', 'HS512'];
  const kRsaAlgs = ['RS256', 'RS384', 'RS512'];
  // A PEM or secret string; Buffers become byte strings.
  function keyMaterial(key) {
    if (typeof key === 'string') return key;
    if (key instanceof Uint8Array) return arrayToBytes(key);
    if (key && typeof key === 'object' && typeof key.key === 'string') return key.key;
    return key;
  }
  // HMAC key bytes: strings are UTF-8 (as Node reads them), Buffers raw.
  const secretBytes = (key) => (typeof key === 'string' ? N.utf8Encode(key) : keyMaterial(key));
  function pemKind(key) {
    if (typeof key !== 'string') return 'secret';
    if (/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key) || /-----BEGIN EC PRIVATE KEY-----/.test(key)) return 'private';
    if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(key) || /-----BEGIN CERTIFICATE-----/.test(key)) return 'public';
    return 'secret';
  }
  function timespan(time, iat) {
    if (typeof time === 'string') {
      const ms = N.parseDuration(time);
      if (ms === undefined) return undefined;
      return Math.floor(iat + ms / 1000);
    }
    if (typeof time === 'number') return iat + time;
    return undefined;
  }
  const b64json = (obj) => N.b64Encode(N.utf8Encode(JSON.stringify(obj)), true);
  function jwsSign(alg, header, payload, key, original) {
    const input = b64json(header) + '.' + (typeof payload === 'string' ? N.b64Encode(N.utf8Encode(payload), true) : b64json(payload));
    const hash = kAlgs[alg];
    let sig;
    if (alg.startsWith('HS')) sig = N.hmac(hash, secretBytes(original), input);
    else sig = N.sign(alg, key, input);
    return input + '.' + N.b64Encode(sig, true);
  }
  const kSignOptions = {
    expiresIn: 'exp', notBefore: 'nbf', audience: 'aud', issuer: 'iss', subject: 'sub', jwtid: 'jti',
  };
  function sign(payload, secretOrPrivateKey, options, callback) {
    if (typeof options === 'function') { callback = options; options = {}; }
    options = options || {};
    const done = (err, token) => {
      if (callback) { G.setTimeout(() => callback(err || null, token), 0); return undefined; }
      if (err) throw err;
      return token;
    };
    const isObjectPayload = typeof payload === 'object' && payload !== null && !(payload instanceof Uint8Array);
    const alg = options.algorithm || 'HS256';
    const key = keyMaterial(secretOrPrivateKey);
    if (!key && alg !== 'none') return done(new Error('secretOrPrivateKey must have a value'));
    if (!(alg in kAlgs)) return done(new Error(`"algorithm" must be a valid string enum value`));
    const kind = pemKind(key);
    if (alg.startsWith('HS') && kind !== 'secret') return done(new Error(`secretOrPrivateKey must be a symmetric key when using ${alg}`));
    if (!alg.startsWith('HS') && kind !== 'private') return done(new Error(`secretOrPrivateKey must be an asymmetric key when using ${alg}`));
    if (payload === undefined) return done(new Error('payload is required'));
    if (!isObjectPayload && (options.expiresIn !== undefined || options.notBefore !== undefined)) {
      return done(new Error('invalid expiresIn or notBefore option for string payload'));
    }
    const header = Object.assign({alg, typ: isObjectPayload ? 'JWT' : undefined, kid: options.keyid}, options.header);
    if (!isObjectPayload) return done(null, jwsSign(alg, header, String(payload), key, secretOrPrivateKey));
    for (const claim of ['expiresIn', 'notBefore']) {
      if (options[claim] !== undefined && payload[kSignOptions[claim]] !== undefined) {
        return done(new Error(`Bad "options.${claim}" option the payload already has an "${kSignOptions[claim]}" property.`));
      }
    }
    for (const claim of ['audience', 'issuer', 'subject', 'jwtid']) {
      if (options[claim] !== undefined && payload[kSignOptions[claim]] !== undefined) {
        return done(new Error(`Bad "options.${claim}" option. The payload already has an "${kSignOptions[claim]}" property.`));
      }
    }
    const claims = options.mutatePayload ? payload : Object.assign({}, payload);
    const timestamp = typeof claims.iat === 'number' ? claims.iat : Math.floor(Date.now() / 1000);
    if (options.noTimestamp) delete claims.iat;
    else if (isObjectPayload) claims.iat = timestamp;
    if (options.notBefore !== undefined) {
      claims.nbf = timespan(options.notBefore, timestamp);
      if (claims.nbf === undefined) return done(new Error('"notBefore" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60'));
    }
    if (options.expiresIn !== undefined) {
      claims.exp = timespan(options.expiresIn, timestamp);
      if (claims.exp === undefined) return done(new Error('"expiresIn" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60'));
    }
    for (const claim of ['audience', 'issuer', 'subject', 'jwtid']) {
      if (options[claim] !== undefined) claims[kSignOptions[claim]] = options[claim];
    }
    try {
      return done(null, jwsSign(alg, header, claims, key, secretOrPrivateKey));
    } catch (e) {
      return done(e);
    }
  }
  function decodeParts(token) {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    try {
      const header = JSON.parse(N.utf8Decode(N.b64Decode(parts[0])));
      let payload = N.utf8Decode(N.b64Decode(parts[1]));
      try { payload = JSON.parse(payload); } catch (e) { /* string payload */ }
      if (header === null || typeof header !== 'object') return null;
      return {header, payload, signature: parts[2], input: parts[0] + '.' + parts[1]};
    } catch (e) {
      return null;
    }
  }
  function decode(token, options) {
    options = options || {};
    if (typeof token !== 'string') return null;
    const d = decodeParts(token);
    if (!d) return null;
    let payload = d.payload;
    if (typeof payload === 'string' && options.json) {
      try { payload = JSON.parse(payload); } catch (e) { return null; }
    }
    return options.complete ? {header: d.header, payload, signature: d.signature} : payload;
  }
  function verify(token, secretOrPublicKey, options, callback) {
    if (typeof options === 'function' && !callback) { callback = options; options = {}; }
    options = Object.assign({}, options || {});
    const done = (err, value) => {
      if (callback) return callback(err || null, value);
      if (err) throw err;
      return value;
    };
    if (options.nonce !== undefined && (typeof options.nonce !== 'string' || options.nonce.trim() === '')) {
      return done(new JsonWebTokenError('nonce must be a non-empty string'));
    }
    const clockTimestamp = options.clockTimestamp || Math.floor(Date.now() / 1000);
    if (!token) return done(new JsonWebTokenError('jwt must be provided'));
    if (typeof token !== 'string') return done(new JsonWebTokenError('jwt must be a string'));
    const parts = token.split('.');
    if (parts.length !== 3) return done(new JsonWebTokenError('jwt malformed'));
    const d = decodeParts(token);
    if (!d) return done(new JsonWebTokenError('invalid token'));
    const header = d.header;
    const hasSignature = parts[2].trim() !== '';
    if (!hasSignature && secretOrPublicKey) return done(new JsonWebTokenError('jwt signature is required'));
    const key = keyMaterial(secretOrPublicKey);
    if (hasSignature && !key) return done(new JsonWebTokenError('secret or public key must be provided'));
    const kind = pemKind(key);
    if (!options.algorithms) {
      options.algorithms = kind === 'secret' ? kSecretAlgs : (/BEGIN RSA PUBLIC KEY/.test(key) ? kRsaAlgs : kRsaAlgs.concat(['ES256']));
    }
    if (!Array.isArray(options.algorithms) || options.algorithms.indexOf(header.alg) === -1) {
      return done(new JsonWebTokenError('invalid algorithm'));
    }
    if (!(header.alg in kAlgs)) return done(new JsonWebTokenError('invalid algorithm'));
    if (header.alg.startsWith('HS') && kind !== 'secret') {
      return done(new JsonWebTokenError(`secretOrPublicKey must be a symmetric key when using ${header.alg}`));
    }
    if (!header.alg.startsWith('HS') && kind === 'secret') {
      return done(new JsonWebTokenError(`secretOrPublicKey must be an asymmetric key when using ${header.alg}`));
    }
    let valid;
    try {
      const sig = N.b64Decode(parts[2]);
      if (header.alg.startsWith('HS')) {
        const expected = N.hmac(kAlgs[header.alg], secretBytes(secretOrPublicKey), d.input);
        valid = N.constantTimeEquals(expected, sig);
      } else {
        valid = N.verify(header.alg, key, d.input, sig);
      }
    } catch (e) {
      return done(new JsonWebTokenError(e.message));
    }
    if (!valid) return done(new JsonWebTokenError('invalid signature'));
    const payload = d.payload;
    if (typeof payload !== 'object' || payload === null) {
      return done(null, options.complete ? {header, payload, signature: parts[2]} : payload);
    }
    const tolerance = options.clockTolerance || 0;
    if (payload.nbf !== undefined && !options.ignoreNotBefore) {
      if (typeof payload.nbf !== 'number') return done(new JsonWebTokenError('invalid nbf value'));
      if (payload.nbf > clockTimestamp + tolerance) return done(new NotBeforeError('jwt not active', new Date(payload.nbf * 1000)));
    }
    if (payload.exp !== undefined && !options.ignoreExpiration) {
      if (typeof payload.exp !== 'number') return done(new JsonWebTokenError('invalid exp value'));
      if (clockTimestamp >= payload.exp + tolerance) return done(new TokenExpiredError('jwt expired', new Date(payload.exp * 1000)));
    }
    if (options.audience) {
      const audiences = Array.isArray(options.audience) ? options.audience : [options.audience];
      const target = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      const match = target.some((aud) => audiences.some((a) => (a instanceof RegExp ? a.test(aud) : a === aud)));
      if (!match) return done(new JsonWebTokenError('jwt audience invalid. expected: ' + audiences.join(' or ')));
    }
    if (options.issuer) {
      const ok = (typeof options.issuer === 'string' && payload.iss !== options.issuer) ||
          (Array.isArray(options.issuer) && options.issuer.indexOf(payload.iss) === -1);
      if (ok) return done(new JsonWebTokenError('jwt issuer invalid. expected: ' + options.issuer));
    }
    if (options.subject && payload.sub !== options.subject) {
      return done(new JsonWebTokenError('jwt subject invalid. expected: ' + options.subject));
    }
    if (options.jwtid && payload.jti !== options.jwtid) {
      return done(new JsonWebTokenError('jwt jwtid invalid. expected: ' + options.jwtid));
    }
    if (options.nonce && payload.nonce !== options.nonce) {
      return done(new JsonWebTokenError('jwt nonce invalid. expected: ' + options.nonce));
    }
    if (options.maxAge) {
      if (typeof payload.iat !== 'number') return done(new JsonWebTokenError('iat required when maxAge is specified'));
      const maxAgeTimestamp = timespan(options.maxAge, payload.iat);
      if (maxAgeTimestamp === undefined) return done(new JsonWebTokenError('"maxAge" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60'));
      if (clockTimestamp >= maxAgeTimestamp + tolerance) return done(new TokenExpiredError('maxAge exceeded', new Date(maxAgeTimestamp * 1000)));
    }
    return done(null, options.complete ? {header, payload, signature: parts[2]} : payload);
  }
  const jwtModule = Object.freeze({sign, verify, decode, JsonWebTokenError, TokenExpiredError, NotBeforeError});

  // ---- require(): built-ins, then CommonJS packages from the rules' node_modules
  const builtins = {
    jsonwebtoken: jwtModule, crypto: cryptoModule, uuid: uuidModule, querystring: querystringModule,
    url: Object.freeze({URL, URLSearchParams}),
  };
  const moduleCache = new Map();
  function stripVersion(name) {
    const m = /^(@[^/@]+\/[^/@]+|[^/@][^@]*?)@[^@/]+$/.exec(name);
    return m ? m[1] : name;
  }
  function makeRequire(dir) {
    return function require(name) {
      if (typeof name !== 'string' || name === '') throw new TypeError('The "id" argument must be a non-empty string');
      const id = stripVersion(name.replace(/^node:/, ''));
      if (Object.prototype.hasOwnProperty.call(builtins, id)) return builtins[id];
      const filename = N.resolveModule(id, dir);
      const cached = moduleCache.get(filename);
      if (cached) return cached.exports;
      const module = {exports: {}, id: filename, filename, loaded: false};
      moduleCache.set(filename, module);
      try {
        if (filename.endsWith('.json')) {
          module.exports = JSON.parse(N.readModuleJson(filename));
        } else {
          const fn = N.compileModule(filename);
          const dirname = filename.replace(/\/[^/]*$/, '');
          fn.call(module.exports, module.exports, makeRequire(dirname), module, filename, dirname);
        }
      } catch (e) {
        moduleCache.delete(filename);
        throw e;
      }
      module.loaded = true;
      return module.exports;
    };
  }
  define(G, 'require', makeRequire(null));

  // Pre-loaded names of Auth0's older sandbox (SPEC §4.3); lodash loads lazily.
  define(G, 'jwt', jwtModule);
  define(G, 'crypto', cryptoModule);
  define(G, 'uuid', uuidModule);
  Object.defineProperty(G, '_', {
    configurable: true, enumerable: false,
    get() {
      let filename;
      try { filename = N.resolveModule('lodash', null); } catch (e) { return undefined; }
      const loading = moduleCache.get(filename);
      // lodash reads the global `_` while it loads (for noConflict): no cycle.
      if (loading && !loading.loaded) return undefined;
      const l = G.require('lodash');
      Object.defineProperty(G, '_', {value: l, writable: true, configurable: true});
      return l;
    },
    set(v) { Object.defineProperty(G, '_', {value: v, writable: true, configurable: true}); },
  });
  define(G, 'global', {});

  // ---- auth0 object and host operations (Promises settled by the host)
  const pendingOps = new Map();
  function hostOp(kind, userId, metadata) {
    return new Promise((resolve, reject) => {
      if (typeof userId !== 'string' || userId === '') throw new TypeError('user_id must be a non-empty string');
      const json = JSON.stringify(metadata === undefined ? {} : metadata);
      const id = N.hostOp(kind, userId, json);
      pendingOps.set(id, {resolve, reject});
    });
  }
  const users = Object.freeze({
    updateUserMetadata: (userId, metadata) => hostOp('user_metadata', userId, metadata),
    updateAppMetadata: (userId, metadata) => hostOp('app_metadata', userId, metadata),
  });

  // ---- outbound HTTP (js/outbound.js): fetch, require('request'), require('axios')
  const outbound = N.outbound(N, (start) => new Promise((resolve, reject) => {
    pendingOps.set(start(), {resolve, reject});
  }), {querystring: querystringModule, fail: (e) => { if (current) current(e); }});
  define(G, 'fetch', outbound.fetch);
  define(G, 'Headers', outbound.Headers);
  define(G, 'Response', outbound.Response);
  builtins.request = outbound.request;
  builtins.axios = outbound.axios;

  // ---- the pipeline, driven by the host (never visible to rules)
  function errorInfo(err) {
    // Engine limits ("too much recursion", "out of memory") are not the rule's
    // decision: they fail the login with server_error (SPEC §3.5).
    if (err instanceof InternalError || err === 'out of memory') {
      return {code: 'server_error', message: String(err && err.message || err), stack: String(err && err.stack || '')};
    }
    if (err instanceof UnauthorizedError || (err && err.name === 'UnauthorizedError')) {
      return {code: 'unauthorized', message: String(err.message || ''), stack: String(err.stack || '')};
    }
    let message;
    if (err instanceof Error || (err && typeof err === 'object' && 'message' in err)) message = String(err.message);
    else { try { message = String(err); } catch (e) { message = 'error'; } }
    return {code: 'access_denied', message, stack: err && err.stack ? String(err.stack) : ''};
  }
  // ---- intrinsics to guard. A realm lives across logins (so `global` can),
  // so whatever a rule changes on the built-ins or on what this prelude
  // defined (Object.prototype.x, JSON.parse = ..., console.log = ...) would
  // reach the next login, another user's included. The host snapshots the
  // objects listed here right after this prelude ran and puts them back before
  // every execution (intrinsics_guard.h): every standard global and its
  // prototype, the intrinsics no global names, and the global object itself
  // whose bindings a rule added are removed too: `global` is where a rule
  // keeps what should last.
  const guarded = [];
  const visited = new Set();
  function guard(obj) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return;
    if (visited.has(obj)) return;
    visited.add(obj);
    guarded.push(obj);
  }
  const PER_LOGIN = ['global', 'configuration', 'auth0'];
  const globalKeys = Reflect.ownKeys(G);
  for (let i = 0; i < globalKeys.length; i++) {
    const k = globalKeys[i];
    if (PER_LOGIN.indexOf(k) >= 0) continue;
    const d = Reflect.getOwnPropertyDescriptor(G, k);
    if (!d || !('value' in d)) continue;
    guard(d.value);
    if (typeof d.value === 'function' && d.value.prototype) guard(d.value.prototype);
  }
  const hidden = [function* () {}, async function () {}, async function* () {}];
  for (let i = 0; i < hidden.length; i++) {
    guard(Reflect.getPrototypeOf(hidden[i]));
    guard(Reflect.getPrototypeOf(hidden[i]).prototype);
  }
  guard(Reflect.getPrototypeOf(Int8Array));
  guard(Reflect.getPrototypeOf(Int8Array.prototype));
  guard(Reflect.getPrototypeOf(Reflect.getPrototypeOf([][Symbol.iterator]())));
  guard(Reflect.getPrototypeOf([][Symbol.iterator]()));
  guard(G);

  let current = null;  // the running rule's callback: errors thrown by its timers end it
  return {
    // Called before each execution, after the host restored the built-ins:
    // fresh configuration and auth0, no leftovers from an earlier, possibly
    // killed, execution.
    begin(userJson, contextJson, configJson, auth0Json) {
      timers.clear();
      pendingOps.clear();
      current = null;
      define(G, 'configuration', Object.freeze(JSON.parse(configJson)));
      const a = JSON.parse(auth0Json);
      define(G, 'auth0', Object.freeze({users, accessToken: a.accessToken, domain: a.domain, baseUrl: a.baseUrl}));
      return {user: JSON.parse(userJson), context: JSON.parse(contextJson), err: undefined};
    },
    startRule(fn, name, state) {
      if (typeof fn !== 'function') {
        state.err = {code: 'server_error', message: `rule "${name}" is not a function`, stack: ''};
        N.ruleDone(true);
        return;
      }
      let called = false;
      const callback = current = function (err, user, context) {
        if (called) {
          N.log('warn', `callback called more than once by rule "${name}"; ignored`);
          return;
        }
        called = true;
        if (user !== undefined) state.user = user;
        if (context !== undefined) state.context = context;
        if (err !== undefined && err !== null) state.err = errorInfo(err);
        N.ruleDone(state.err !== undefined);
      };
      try {
        const r = fn.call(undefined, state.user, state.context, callback);
        if (r && typeof r.then === 'function') {
          r.then(undefined, (e) => { if (!called) callback(e); });
        }
      } catch (e) {
        if (!called) callback(e);
        else N.log('warn', `rule "${name}" threw after calling callback: ${formatArg(e)}`);
      }
    },
    fireTimer(id) {
      const fn = timers.get(id);
      if (!fn) return;
      timers.delete(id);
      try {
        fn();
      } catch (e) {
        if (current) current(e);
      }
    },
    settle(id, error, value) {
      const op = pendingOps.get(id);
      if (!op) return;
      pendingOps.delete(id);
      if (error === null) op.resolve(value);
      else op.reject(new Error(error));
    },
    finish(state) {
      return JSON.stringify({user: state.user, context: state.context, error: state.err || null});
    },
    // The objects the host guards.
    intrinsics: guarded,
    // What actions_prelude.js builds on (never visible to scripts).
    internals: {N, jwt: jwtModule, errorInfo, setCurrent(fn) { current = fn; }},
  };
})
