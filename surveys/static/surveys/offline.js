// Filling a questionnaire with no connection (see surveys/offline.py).
// - The page's blank copy (both languages) and its assets are put in the cache, so the
//   page opens again offline through the service worker.
// - What she types is kept in IndexedDB under a key that names page and person.
// - "Submit" queues the response on the device with an id made here; the queue is sent
//   now if online, else when the connection returns or the page is next opened. The
//   server stores a response once per id; a refusal is shown with its reason and her
//   answers as text to copy.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !window.indexedDB || !window.fetch) return;
  var cfg = form.dataset;
  var T = JSON.parse(document.getElementById("offline-texts").textContent);
  var statusBox = document.getElementById("offline-status");
  var queueBox = document.getElementById("offline-queue");
  var CACHE = "survey-pages-v1";
  var paper = cfg.mode === "paper";

  // --- IndexedDB: "drafts" (key -> fields) and "queue" (one row per queued response).
  var opening = null;
  function database() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var req = indexedDB.open("survey-offline", 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore("drafts");
          req.result.createObjectStore("queue", { keyPath: "clientId" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return opening;
  }
  function run(store, mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var req = work(t.objectStore(store));
        t.oncomplete = function () { resolve(req ? req.result : undefined); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }

  // --- the form's fields
  function fields() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") out.push([name, String(value)]);
    });
    return out;
  }
  function clearForm() {
    form.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.name === "csrfmiddlewaretoken") return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
    });
    form.dispatchEvent(new Event("change"));
  }
  function restore(saved) {
    clearForm();
    saved.forEach(function (pair) {
      form.querySelectorAll("[name='" + pair[0].replace(/'/g, "") + "']").forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") { if (el.value === pair[1]) el.checked = true; }
        else el.value = pair[1];
      });
    });
    form.dispatchEvent(new Event("change"));
  }
  // Her answers as plain text, to copy if the server refuses them.
  function summary() {
    var lines = [];
    form.querySelectorAll(".question").forEach(function (block) {
      if (block.hidden) return;
      var q = block.querySelector(".qtext, p");
      var given = [];
      block.querySelectorAll("input, textarea").forEach(function (el) {
        if ((el.type === "radio" || el.type === "checkbox")) {
          if (el.checked) given.push((el.parentNode.textContent || el.value).trim());
        } else if (el.value.trim()) given.push(el.value.trim());
      });
      if (given.length) lines.push((q ? q.textContent.trim() : "") + "\n  " + given.join("; "));
    });
    return lines.join("\n");
  }

  // --- drafts
  var timer = null;
  function saveDraft() {
    return run("drafts", "readwrite", function (s) { return s.put({ fields: fields(), at: Date.now() }, cfg.offlineKey); });
  }
  function dropDraft() { return run("drafts", "readwrite", function (s) { return s.delete(cfg.offlineKey); }); }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(saveDraft, 300); });
  form.addEventListener("change", function (ev) { if (ev.isTrusted) { clearTimeout(timer); timer = setTimeout(saveDraft, 300); } });

  // --- status
  function say(text) { statusBox.textContent = text; statusBox.hidden = !text; }
  function render() {
    return run("queue", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      var mine = items.filter(function (i) { return i.key === cfg.offlineKey; });
      queueBox.textContent = "";
      queueBox.hidden = !mine.length;
      var waiting = mine.filter(function (i) { return i.state === "queued"; });
      if (waiting.length) {
        var p = document.createElement("p");
        p.className = "msg warning";
        p.id = "offline-waiting";
        p.textContent = T.waiting + " " + waiting.length + (waiting[0].problem ? " — " + waiting[0].problem : "");
        queueBox.appendChild(p);
      }
      mine.filter(function (i) { return i.state === "refused"; }).forEach(function (item) {
        var box = document.createElement("div");
        box.className = "card refused";
        var why = document.createElement("p");
        why.className = "msg error";
        why.textContent = T.refused + " " + item.reason;
        var label = document.createElement("p");
        label.textContent = T.copy;
        var text = document.createElement("textarea");
        text.readOnly = true;
        text.rows = 6;
        text.className = "refused-text";
        text.value = item.summary;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary";
        remove.textContent = T.remove;
        remove.addEventListener("click", function () {
          run("queue", "readwrite", function (s) { return s.delete(item.clientId); }).then(render);
        });
        box.append(why, label, text, remove);
        queueBox.appendChild(box);
      });
      return mine;
    });
  }

  // --- sending the queue
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": csrfToken(),
        "X-Survey-Offline": "1",
        "Accept": "application/json"
      },
      body: item.body
    }).then(function (r) {
      if ((r.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
        item.problem = T.signIn;
        return run("queue", "readwrite", function (s) { return s.put(item); }).then(function () { return "kept"; });
      }
      return r.json().then(function (data) {
        if (data.status === "stored") {
          return run("queue", "readwrite", function (s) { return s.delete(item.clientId); }).then(function () {
            return { sent: true, next: data.next };
          });
        }
        if (r.status >= 500) return "kept";
        item.state = "refused";
        item.reason = data.reason || String(r.status);
        return run("queue", "readwrite", function (s) { return s.put(item); }).then(function () { return "refused"; });
      });
    }, function () { return "offline"; });
  }
  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = run("queue", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      var results = [];
      return items.filter(function (i) { return i.state === "queued"; }).reduce(function (chain, item) {
        return chain.then(function () { return send(item).then(function (r) { results.push(r); }); });
      }, Promise.resolve()).then(function () { return results; });
    }).then(function (results) {
      flushing = null;
      return render().then(function () { return results; });
    }, function (err) { flushing = null; throw err; });
    return flushing;
  }
  window.addEventListener("online", function () {
    flush().then(function (results) {
      if (results.some(function (r) { return r && r.sent; })) say(T.sent);
    });
  });
  window.surveyOffline = { flush: flush, saveDraft: saveDraft };

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  form.addEventListener("submit", function (ev) {
    var button = ev.submitter;
    if (button && button.name === "save") {
      if (navigator.onLine) return;  // the ordinary "save and continue later"
      ev.preventDefault();
      saveDraft().then(function () { say(T.savedHere); });
      return;
    }
    ev.preventDefault();
    var body = new URLSearchParams();
    fields().forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("submit", "1");
    var clientId = uuid();
    body.append("client_id", clientId);
    var item = {
      clientId: clientId, key: cfg.offlineKey, url: cfg.postUrl, body: body.toString(),
      summary: summary(), state: "queued", created: Date.now()
    };
    run("queue", "readwrite", function (s) { return s.put(item); })
      .then(dropDraft)
      .then(function () {
        clearForm();
        return flush();
      })
      .then(function (results) {
        var mine = results[results.length - 1];
        if (mine && mine.sent && !paper && mine.next) { window.location.assign(mine.next); return; }
        if (mine && mine.sent) { say(T.sent); return; }
        if (mine === "refused") { say(""); return; }
        say(paper ? T.queuedPaper : T.queued);
        if (!paper) form.hidden = true;
      });
  });

  // --- on opening: keep this page for offline use, bring back her draft, send the queue.
  if ("serviceWorker" in navigator && cfg.sw) {
    navigator.serviceWorker.register(cfg.sw, { scope: "/" }).catch(function () {});
  }
  if (navigator.onLine && window.caches && !cfg.shell) {
    var here = window.location.pathname + window.location.search;
    var shell = window.location.pathname + "?shell=1";
    var assets = [];
    document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
      assets.push(el.href || el.src);
    });
    caches.open(CACHE).then(function (cache) {
      var copies = [[shell, here], [shell + "&lang=vi"], [shell + "&lang=en"]].map(function (pair) {
        return fetch(pair[0], { credentials: "same-origin" }).then(function (r) {
          if (r.ok && !r.redirected) return cache.put(pair[1] || pair[0], r);
        });
      });
      return Promise.all(copies.concat(cache.addAll(assets)));
    }).then(function () {
      form.dataset.offlineReady = "1";
      var note = document.getElementById("offline-ready");
      if (note) note.hidden = false;
    }).catch(function () {});
  }
  run("drafts", "readonly", function (s) { return s.get(cfg.offlineKey); }).then(function (draft) {
    if (draft && draft.fields && draft.fields.length && (cfg.shell || !cfg.serverAnswers)) restore(draft.fields);
  });
  flush().catch(function () {});
})();
