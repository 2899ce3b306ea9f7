// Country pickers: a search box above each select[data-country-search] that keeps only the
// options whose data-search words contain what is typed (Chinese, pinyin, initials, English or
// the code). Without JavaScript the select works as it is.
(() => {
  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = document.documentElement.lang.startsWith("zh") ? "搜索：中文、拼音或代码" : "Search: name or code";
    box.setAttribute("aria-label", box.placeholder);
    box.dataset.noUnsaved = "";  // searching changes nothing to save
    select.before(box);
    box.addEventListener("input", () => {
      const words = box.value.trim().toLowerCase();
      let first = null;
      for (const option of select.options) {
        const match = !option.value || !words || (option.dataset.search || "").includes(words);
        option.hidden = !match;
        if (match && option.value && !first) first = option;
      }
      const current = select.selectedOptions[0];
      if (first && words && (!current || !current.value || current.hidden)) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  function enhanceAll(root) {
    root.querySelectorAll("select[data-country-search]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", () => {
    enhanceAll(document);
    // Rows added later (formset.js) get their box too.
    new MutationObserver((changes) => {
      for (const change of changes) for (const node of change.addedNodes) {
        if (node.nodeType === 1) enhanceAll(node);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
