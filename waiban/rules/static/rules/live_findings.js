// Live rule findings: once the clerk pauses, post the form (unsaved) to the rules endpoint and
// show what it finds. One check per pause, and none when the form holds what was last checked:
// showing the answer (inside the form) must never start another check.
(() => {
  const panel = document.getElementById("rule-findings");
  const form = document.getElementById("delegation-form");
  const labels = document.getElementById("rule-findings-labels");
  if (!panel || !form || !labels) return;
  const list = panel.querySelector("[data-findings]");
  const status = panel.querySelector("[data-findings-status]");
  const badge = { block: "text-bg-danger", warn: "text-bg-warning", info: "text-bg-info" };
  const PAUSE_MS = 500;
  let timer = null;
  let latest = 0;

  function formData() {
    const data = new FormData(form);
    if (panel.dataset.delegation) data.set("delegation", panel.dataset.delegation);
    return data;
  }

  function serialise(data) {
    return new URLSearchParams(data).toString();
  }

  // The panel already shows the findings of the form as the page drew it.
  let lastChecked = serialise(formData());

  function show(findings) {
    list.replaceChildren();
    if (!findings.length) {
      const li = document.createElement("li");
      li.className = "text-success";
      li.dataset.noFindings = "";
      li.textContent = labels.dataset.none;
      list.append(li);
      return;
    }
    for (const f of findings) {
      const li = document.createElement("li");
      li.className = "mb-1";
      li.dataset.finding = f.code;
      li.dataset.severity = f.severity;
      const span = document.createElement("span");
      span.className = `badge ${badge[f.severity] || "text-bg-secondary"}`;
      span.textContent = labels.dataset[f.severity] || f.severity;
      li.append(span, " ", f.message);
      list.append(li);
    }
  }

  async function check() {
    const data = formData();
    const key = serialise(data);
    if (key === lastChecked) return; // nothing changed since the last check
    lastChecked = key;
    const ticket = ++latest;
    status.textContent = labels.dataset.checking;
    try {
      const response = await fetch(panel.dataset.liveUrl, {
        method: "POST",
        body: data,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      if (ticket !== latest) return; // a newer check is on its way
      show(answer.findings);
      status.textContent = "";
    } catch (error) {
      if (ticket !== latest) return;
      lastChecked = null; // the next change checks again, even back to the same data
      status.textContent = labels.dataset.failed;
    }
  }

  function schedule(event) {
    if (event && event.target instanceof Node && panel.contains(event.target)) return;
    clearTimeout(timer);
    timer = setTimeout(check, PAUSE_MS);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Rows added (or removed) by formset.js change the form without an input event. Only the
  // formsets' own rows are watched, never the panel this script writes into.
  const rows = new MutationObserver(() => schedule());
  for (const container of form.querySelectorAll("[data-formset]")) {
    rows.observe(container, { childList: true });
  }
})();
