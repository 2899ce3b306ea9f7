// Suggest passport pinyin when the Chinese name changes. A pinyin field is only filled while it
// is empty or still holds the previous suggestion, so a clerk's own correction is never lost.
(function () {
  "use strict";
  var form = document.getElementById("person-form");
  if (!form) return;
  var source = form.querySelector("[data-pinyin-source]");
  var targets = {
    surname: form.querySelector('[data-pinyin="surname"]'),
    given: form.querySelector('[data-pinyin="given"]'),
  };
  if (!source || !targets.surname || !targets.given) return;
  var last = { surname: "", given: "" };
  var timer = null;
  var seq = 0;

  function suggest() {
    var name = source.value.trim();
    if (!name) return;
    var mine = ++seq;
    var url = form.dataset.pinyinUrl + "?name=" + encodeURIComponent(name);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || mine !== seq) return; // an older answer arriving late
        ["surname", "given"].forEach(function (key) {
          var input = targets[key];
          var current = input.value.trim().toUpperCase();
          if (current === "" || current === last[key]) input.value = data[key] || "";
          last[key] = data[key] || "";
        });
      })
      .catch(function () { /* offline: the clerk types the pinyin */ });
  }

  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 300);
  });
  source.addEventListener("change", suggest);
})();
