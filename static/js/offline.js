/* Yixian Safety — the installable app and the offline queue of hazard reports (issue 18).
 * Loaded by base.html on every page: <script src="offline.js" data-sw="/sw.js" data-user="pk">.
 *
 * - registers the service worker (templates/pwa/sw.js, scope "/");
 * - a form marked data-offline-form (the hazard report, /hazards/new/) is sent with fetch
 *   (Accept: application/json; hazards.views.hazard_create). Without a connection, or when
 *   the request fails on the way, the report (fields and photos, as Blobs) is kept in
 *   IndexedDB ("yx-offline" / "drafts") as a draft, with its idempotency key (幂等键: a UUID
 *   made here, sent as the idempotency_key field and the Idempotency-Key header). The page
 *   itself is kept for offline use (Cache Storage "yx-pages", emptied on logout);
 * - the drafts are uploaded on page load, on the "online" event and with 立即上传, one at a
 *   time, each with a CSRF token fetched fresh from its form page. A draft leaves the queue
 *   only when the server answered with its hazard (201, or 200: already logged with that key,
 *   so a draft sent twice is one hazard). A 400 keeps it, marked with the server's errors, to
 *   be opened in the form and fixed; an expired session keeps it until the user signs in;
 * - "N 条待上传" in the navbar ([data-offline-badge]) and the list on the form page
 *   ([data-offline-queue]; its data-text-* attributes hold the translated texts).
 * Drafts belong to the user who made them: another user on the same device does not see or
 * send them.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var USER = (script && script.getAttribute("data-user")) || "";
  var SW_URL = script && script.getAttribute("data-sw");
  var DB_NAME = "yx-offline";
  var STORE = "drafts";
  var PAGES_CACHE = "yx-pages";

  if (SW_URL && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(SW_URL, { scope: "/" }).catch(function () {});
  }
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-offline-logout]") && window.caches) {
      caches.delete(PAGES_CACHE);
    }
  });
  if (!USER || !window.indexedDB) return;

  // --- IndexedDB: one store of drafts keyed by their idempotency key -------------------------
  var opened = null;
  function database() {
    opened = opened || new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opened;
  }
  function store(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function drafts() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return all.filter(function (d) { return d.user === USER; })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }
  function saveDraft(draft) { return store("readwrite", function (s) { return s.put(draft); }); }
  function dropDraft(key) { return store("readwrite", function (s) { return s.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return [h.slice(0, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  // --- sending ---------------------------------------------------------------------------------
  function draftFrom(form) {
    if (!form.dataset.key) form.dataset.key = newKey();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File && !value.name && !value.size) return; // an empty file input
      fields.push([name, value]);
    });
    return {
      key: form.dataset.key, user: USER, created: Date.now(), state: "queued", errors: null,
      action: form.getAttribute("action") || location.pathname, page: location.pathname,
      fields: fields,
    };
  }

  function body(draft, token) {
    var data = new FormData();
    draft.fields.forEach(function (pair) {
      if (pair[1] instanceof Blob) data.append(pair[0], pair[1], pair[1].name || "photo");
      else data.append(pair[0], pair[1]);
    });
    data.set("csrfmiddlewaretoken", token);
    data.set("idempotency_key", draft.key);
    return data;
  }

  // The form page's current token (the session's may have changed since the draft was made);
  // null when the session has expired (the page redirects to the login).
  function freshToken(page) {
    return fetch(page, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (new URL(r.url).pathname !== page) return null;
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var input = doc.querySelector("form[data-offline-form] [name=csrfmiddlewaretoken]");
        return input ? input.value : null;
      });
    });
  }

  // → {kind: "done", url} | {kind: "invalid", errors} | {kind: "login"} | {kind: "network"}
  //   | {kind: "server", status}
  function send(draft, token) {
    return fetch(draft.action, {
      method: "POST", credentials: "same-origin", body: body(draft, token),
      headers: { "Accept": "application/json", "X-CSRFToken": token, "Idempotency-Key": draft.key },
    }).then(function (r) {
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (r.redirected && new URL(r.url).pathname !== new URL(draft.action, location.href).pathname) {
        return { kind: "login" };
      }
      if (!json) return { kind: "server", status: r.status };
      return r.json().then(function (answer) {
        if (r.status === 200 || r.status === 201) return { kind: "done", url: answer.url };
        if (r.status === 400) return { kind: "invalid", errors: answer.errors || {} };
        return { kind: "server", status: r.status };
      });
    }, function () { return { kind: "network" }; });
  }

  function sendFresh(draft) {
    return freshToken(draft.page).then(function (token) {
      return token ? send(draft, token) : { kind: "login" };
    }, function () { return { kind: "network" }; });
  }

  // --- the queue -------------------------------------------------------------------------------
  var queueBox = document.querySelector("[data-offline-queue]");
  function text(name, n) {
    var t = (queueBox && queueBox.getAttribute("data-text-" + name)) || "";
    return t.replace("{n}", n);
  }

  function describe(draft) {
    var get = function (name) {
      var pair = draft.fields.find(function (p) { return p[0] === name; });
      return pair && typeof pair[1] === "string" ? pair[1] : "";
    };
    var photos = draft.fields.filter(function (p) { return p[1] instanceof Blob; }).length;
    return [get("found_on"), get("location"), get("description").slice(0, 40)]
      .filter(Boolean).join(" · ") + (photos ? " · " + text("photos", photos) : "");
  }

  function errorLines(form, errors) {
    return Object.keys(errors || {}).map(function (name) {
      var label = form && form.querySelector("label[for=id_" + name + "]");
      var prefix = label ? label.textContent.replace("*", "").trim() + "：" : "";
      return prefix + errors[name].join(" ");
    });
  }

  function refresh() {
    return drafts().then(function (list) {
      document.querySelectorAll("[data-offline-badge]").forEach(function (badge) {
        badge.hidden = list.length === 0;
        var link = badge.querySelector("a");
        if (link && list.length) link.href = list[0].page + "#offline-queue";
      });
      document.querySelectorAll("[data-offline-count]").forEach(function (el) {
        el.textContent = list.length;
      });
      if (!queueBox) return list;
      queueBox.hidden = list.length === 0;
      var ul = queueBox.querySelector("[data-offline-list]");
      ul.textContent = "";
      list.forEach(function (draft) {
        var li = document.createElement("li");
        li.className = "list-group-item";
        li.setAttribute("data-offline-draft", draft.key);
        var what = document.createElement("div");
        what.textContent = describe(draft);
        var state = document.createElement("div");
        state.className = draft.state === "invalid" ? "small text-danger" : "small text-muted";
        state.setAttribute("data-offline-state", draft.state);
        state.textContent = draft.state === "invalid"
          ? text("invalid") + " " + errorLines(form, draft.errors).join("；")
          : text(draft.state === "login" ? "login" : "queued");
        li.append(what, state);
        if (draft.state === "invalid" && form) {
          var open = document.createElement("button");
          open.type = "button";
          open.className = "btn btn-sm btn-outline-primary me-2 mt-1";
          open.setAttribute("data-offline-open", draft.key);
          open.textContent = text("open");
          li.append(open);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-outline-danger mt-1";
        remove.setAttribute("data-offline-remove", draft.key);
        remove.textContent = text("remove");
        li.append(remove);
        ul.appendChild(li);
      });
      return list;
    });
  }

  function status(message) {
    var box = document.querySelector("[data-offline-status]");
    if (box) box.textContent = message;
  }

  var uploading = null;
  // Upload the queued drafts one by one (a second call while one runs waits for it); with
  // the Web Locks API, also one tab at a time.
  function uploadAll() {
    if (uploading) return uploading;
    var run = function () {
      return drafts().then(function (list) {
        var todo = list.filter(function (d) { return d.state !== "invalid"; });
        if (!todo.length) return;
        status(text("uploading"));
        var next = function (i) {
          if (i >= todo.length) return null;
          var draft = todo[i];
          return sendFresh(draft).then(function (result) {
            if (result.kind === "done") return dropDraft(draft.key).then(function () { return next(i + 1); });
            if (result.kind === "network") return "network";
            draft.state = result.kind === "invalid" ? "invalid" : result.kind === "login" ? "login" : "queued";
            draft.errors = result.kind === "invalid" ? result.errors : null;
            return saveDraft(draft).then(function () {
              return result.kind === "invalid" ? next(i + 1) : result.kind;
            });
          });
        };
        return next(0).then(function (stop) {
          if (stop) return status(text(stop === "login" ? "login" : "failed"));
          return drafts().then(function (left) { status(text(left.length ? "partly" : "uploaded")); });
        });
      });
    };
    var locked = navigator.locks ? navigator.locks.request("yx-offline-upload", run) : run();
    uploading = locked.catch(function () {}).then(refresh).then(function (list) {
      uploading = null;
      return list;
    });
    return uploading;
  }

  // --- the form --------------------------------------------------------------------------------
  var form = document.querySelector("form[data-offline-form]");

  function clearErrors() {
    form.querySelectorAll("[data-offline-error]").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
  }

  function showErrors(errors) {
    clearErrors();
    var general = [];
    Object.keys(errors || {}).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.length && !field.tagName) field = field[0];
      if (!field || field.type === "hidden") {
        general.push.apply(general, errors[name]);
        return;
      }
      field.classList.add("is-invalid");
      var feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block";
      feedback.setAttribute("data-offline-error", "");
      feedback.textContent = errorLines(form, { [name]: errors[name] })[0];
      (field.closest(".mb-3") || field.parentNode).appendChild(feedback);
    });
    if (general.length) {
      var alert = document.createElement("div");
      alert.className = "alert alert-danger";
      alert.setAttribute("data-offline-error", "");
      alert.textContent = general.join(" ");
      form.prepend(alert);
    }
    var first = form.querySelector("[data-offline-error]");
    if (first) first.scrollIntoView({ block: "center" });
  }

  function fill(draft) {
    form.reset();
    var files = {};
    draft.fields.forEach(function (pair) {
      var field = form.elements[pair[0]];
      if (!field) return;
      if (pair[1] instanceof Blob) {
        (files[pair[0]] = files[pair[0]] || new DataTransfer()).items.add(
          new File([pair[1]], pair[1].name || "photo", { type: pair[1].type }));
        return;
      }
      field.value = pair[1];
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    Object.keys(files).forEach(function (name) {
      form.elements[name].files = files[name].files;
      form.elements[name].dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.dataset.key = draft.key;
    if (draft.errors) showErrors(draft.errors); else clearErrors();
    form.scrollIntoView();
  }

  function keep(draft, message) {
    return saveDraft(draft).then(function () {
      form.reset();
      delete form.dataset.key;
      clearErrors();
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      return refresh();
    }).then(function (list) {
      status(message.replace("{n}", list.length));
      if (queueBox) queueBox.scrollIntoView();
    });
  }

  if (form) {
    if (window.caches && navigator.onLine) {
      caches.open(PAGES_CACHE).then(function (c) { return c.add(location.pathname); }).catch(function () {});
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) delete form.dataset.key; // back to a sent form: a new report
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.busy) return;
      var draft = draftFrom(form);
      if (!navigator.onLine) {
        keep(draft, text("saved"));
        return;
      }
      var button = form.querySelector("[type=submit]");
      form.dataset.busy = "1";
      if (button) button.disabled = true;
      status(text("uploading"));
      var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
      send(draft, token).then(function (result) {
        if (result.kind === "server" && result.status === 403) return sendFresh(draft);
        return result;
      }).then(function (result) {
        if (result.kind === "done") {
          return dropDraft(draft.key).then(function () { location.assign(result.url); });
        }
        delete form.dataset.busy;
        if (button) button.disabled = false;
        if (result.kind === "invalid") {
          status("");
          showErrors(result.errors);
          return;
        }
        draft.state = result.kind === "login" ? "login" : "queued";
        keep(draft, text({ login: "login", server: "failed" }[result.kind] || "saved"));
      });
    });
  }

  if (queueBox) {
    queueBox.addEventListener("click", function (event) {
      var open = event.target.closest("[data-offline-open]");
      var remove = event.target.closest("[data-offline-remove]");
      var upload = event.target.closest("[data-offline-upload]");
      if (upload) uploadAll();
      var button = open || remove;
      if (!button) return;
      var key = button.getAttribute(open ? "data-offline-open" : "data-offline-remove");
      drafts().then(function (list) {
        var draft = list.find(function (d) { return d.key === key; });
        if (!draft) return;
        if (open) fill(draft); // stays queued (marked invalid) until it is sent again
        else if (window.confirm(text("confirm-remove"))) dropDraft(key).then(refresh);
      });
    });
  }

  window.addEventListener("online", uploadAll);
  refresh().then(function (list) {
    if (list.length && navigator.onLine) uploadAll();
  });
  // for tests and the curious: window.yxOffline.uploadAll() → a Promise of the remaining drafts
  window.yxOffline = { uploadAll: uploadAll, drafts: drafts };
})();
