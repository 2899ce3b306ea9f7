// Live rule findings: after each change, post the form (unsaved) to the rules endpoint and show
// what it finds. Debounced, and only the latest answer is shown.
(() => {
  const panel = document.getElementById("rule-findings");
  const form = document.getElementById("delegation-form");
  const labels = document.getElementById("rule-findings-labels");
  if (!panel || !form || !labels) return;
  const list = panel.querySelector("[data-findings]");
  const status = panel.querySelector("[data-findings-status]");
  const badge = { block: "text-bg-danger", warn: "text-bg-warning", info: "text-bg-info" };
  let timer = null;
  let latest = 0;

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
    const ticket = ++latest;
    const data = new FormData(form);
    if (panel.dataset.delegation) data.set("delegation", panel.dataset.delegation);
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
      if (ticket === latest) status.textContent = labels.dataset.failed;
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Rows added by formset.js change the form without an input event.
  new MutationObserver(schedule).observe(form, { childList: true, subtree: true });
})();
