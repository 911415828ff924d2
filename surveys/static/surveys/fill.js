// The fill page as she goes: the progress counter follows each answer, the draft is
// saved a moment after she stops typing (POST with X-Autosave, answered in JSON), and
// leaving with unsaved answers asks first. Kept apart from the template so the offline
// mode can build on it.
(function () {
  var form = document.getElementById("survey-form");
  if (!form || form.getAttribute("data-autosave") !== "1") return;
  var status = document.getElementById("autosave-status");
  var progress = document.getElementById("progress");
  var DELAY = 1200;
  var timer = null;
  var dirty = false;      // changed since the last successful save
  var saving = false;
  var again = false;      // a change arrived while saving
  var leaving = false;    // she pressed a button: the form is being sent normally

  function say(text) { if (status) status.textContent = text || ""; }

  function answered(block) {
    if (block.hidden) return false;
    var inputs = block.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "") return true;
    }
    return false;
  }

  function updateProgress() {
    if (!progress) return;
    var blocks = form.querySelectorAll(".question[id^='q-']");
    var n = 0;
    blocks.forEach(function (b) { if (answered(b)) n++; });
    var total = progress.getAttribute("data-total");
    progress.textContent = progress.getAttribute("data-template").replace("__N__", n).replace("__TOTAL__", total);
    progress.setAttribute("data-answered", n);
  }

  function save() {
    timer = null;
    if (saving) { again = true; return; }
    saving = true;
    say(form.getAttribute("data-saving-text"));
    var data = new FormData(form);
    data.append("save", "1");
    fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" }
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok && body.ok, body: body }; });
    }).then(function (result) {
      saving = false;
      if (result.ok) {
        if (!again) dirty = false;
        say(form.getAttribute("data-saved-text"));
        form.setAttribute("data-saved-at", result.body.saved_at || "");
      } else {
        say(form.getAttribute("data-failed-text"));
      }
      if (again) { again = false; schedule(); }
    }).catch(function () {
      saving = false;
      say(form.getAttribute("data-failed-text"));
    });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  function changed() {
    dirty = true;
    updateProgress();
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { leaving = true; if (timer) clearTimeout(timer); });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || leaving) return undefined;
    var text = form.getAttribute("data-leave-text");
    event.preventDefault();
    event.returnValue = text;
    return text;
  });
  updateProgress();
})();
