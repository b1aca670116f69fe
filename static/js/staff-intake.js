// Intake page: drag-and-drop scans onto the drop zone and upload them at once, with a progress bar.
// Without this script the file input is sent with the form and the server keeps the files all the same.
(function () {
  "use strict";
  function init() {
    var zone = document.getElementById("drop-zone");
    var form = document.getElementById("intake-form");
    if (!zone || !form) return;
    var input = document.getElementById("id_files");
    var bar = document.getElementById("upload-progress");
    var text = document.getElementById("upload-progress-text");
    var box = zone.querySelector(".upload-progress");

    function field(name) {
      var el = form.querySelector("[name=" + name + "]");
      return el ? el.value : "";
    }

    function upload(files) {
      if (!files || !files.length) return;
      var data = new FormData();
      data.append("nonce", field("nonce"));
      data.append("procedure_code", field("procedure_code"));
      // Keep the documents already chosen for earlier files.
      document.querySelectorAll("#staged-files select").forEach(function (select) {
        data.append(select.name, select.value);
      });
      Array.prototype.forEach.call(files, function (file) { data.append("files", file); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", zone.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", field("csrfmiddlewaretoken"));
      xhr.setRequestHeader("HX-Request", "true");
      box.hidden = false;
      bar.value = 0;
      xhr.upload.onprogress = function (event) {
        if (!event.lengthComputable) return;
        var percent = Math.round((event.loaded / event.total) * 100);
        bar.value = percent;
        text.textContent = percent + "%";
      };
      xhr.onload = function () {
        box.hidden = true;
        var list = document.getElementById("staged-files");
        if (xhr.status === 200 && list) {
          list.outerHTML = xhr.responseText;
          var fresh = document.getElementById("staged-files");
          if (window.htmx && fresh) window.htmx.process(fresh);
        } else {
          // The server says what went wrong in Vietnamese (a plain-text answer); else the status code.
          var plain = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
          text.textContent = plain && xhr.responseText ? xhr.responseText : xhr.status + " " + xhr.statusText;
          box.hidden = false;
        }
      };
      xhr.onerror = function () { box.hidden = false; text.textContent = "✕"; };
      xhr.send(data);
      input.value = "";
    }

    // A digitised document chosen for a listed document: that paper counts as received (the server agrees).
    form.addEventListener("change", function (event) {
      var select = event.target;
      if (!select.classList.contains("reuse-choice") || !select.value) return;
      var box = form.querySelector('input[name="provided"][value="' + select.value + '"]');
      if (box) box.checked = true;
    });

    // The panel is refreshed as the applicant is typed; a refresh asked before the officer chose a document
    // may come back after it: keep what she chose rather than the stale panel's empty choice.
    var chosen = {};
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      if (!event.detail.target || event.detail.target.id !== "digitised") return;
      chosen = {};
      event.detail.target.querySelectorAll("select.reuse-choice").forEach(function (select) {
        if (select.value) chosen[select.name] = select.value;
      });
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      var panel = document.getElementById("digitised");
      if (!panel) return;
      Object.keys(chosen).forEach(function (name) {
        var select = panel.querySelector('select[name="' + name + '"]');
        if (select && !select.value) {
          select.value = chosen[name];
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });

    input.addEventListener("change", function () { upload(input.files); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("drag-over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("drag-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      upload(event.dataTransfer.files);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
