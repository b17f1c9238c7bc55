// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Selects that submit their form on change (no inline handlers: the CSP forbids them).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Unit tree: load a branch's children the first time it is opened.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open || details.dataset.loaded) return;
    var url = details.dataset.childrenUrl;
    var box = details.querySelector(".tree-children");
    if (!url || !box) return;
    details.dataset.loaded = "1";
    box.textContent = "…";
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () { box.textContent = "加载失败，请刷新页面重试。"; delete details.dataset.loaded; });
  }, true);

  // Unread notifications in the header, fetched after the page is shown.
  var notice = document.querySelector("[data-unread-url]");
  if (notice) {
    fetch(notice.dataset.unreadUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { unread: 0 }; })
      .then(function (data) {
        var badge = document.getElementById("notice-count");
        if (data.unread > 0) { badge.textContent = data.unread; badge.hidden = false; }
      })
      .catch(function () {});
  }

  // Background job page: poll progress until the job ends, then reload for the report.
  var job = document.getElementById("job");
  if (job && job.dataset.finished === "0") {
    var poll = function () {
      fetch(job.dataset.jobUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          document.getElementById("job-bar").style.width = data.percent + "%";
          document.getElementById("job-status").textContent = data.status_display;
          document.getElementById("job-count").textContent = data.done + " / " + data.total;
          if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1500); }
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  // Jobs centre: while a listed job still runs, refresh the list every few seconds.
  if (document.querySelector("[data-jobs-live]")) {
    setTimeout(function () { window.location.reload(); }, 3000);
  }
})();
