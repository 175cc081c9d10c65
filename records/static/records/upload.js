// Chunked, resumable upload of evidence files (records app).
// Protocol: POST start → PUT ?offset=N chunks (X-Chunk-SHA256 when the browser can hash) → POST complete.
// After a network failure the client asks the server where to resume (GET) and carries on;
// the token is remembered per file so that a reloaded page resumes too.
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  async function chunkDigest(blob) {
    if (!(window.crypto && crypto.subtle)) return "";
    return hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  }
  async function json(resp) {
    var body = {};
    try { body = await resp.json(); } catch (e) { body = { message: resp.statusText }; }
    if (!resp.ok) { var err = new Error(body.message || resp.statusText); err.body = body; err.status = resp.status; throw err; }
    return body;
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function upload(form, file, progress) {
    var startUrl = form.dataset.startUrl;
    var chunkSize = parseInt(form.dataset.chunkSize, 10) || 8388608;
    var key = "zhifa-upload:" + startUrl + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    var fd = new FormData(form);
    var meta = {
      filename: file.name, size: file.size, content_type: file.type || "application/octet-stream",
      media_kind: fd.get("media_kind") || "", action: fd.get("action") || "", device: fd.get("device") || "",
      captured_at: fd.get("captured_at") || "", place: fd.get("place") || "",
      classification: fd.get("classification") || "internal", record: fd.get("record") || ""
    };
    var base = null, offset = 0;
    var saved = localStorage.getItem(key);
    if (saved) {
      try {
        var st = await json(await fetch(saved, { credentials: "same-origin" }));
        if (st.status === "open") { base = saved; offset = st.offset; }
      } catch (e) { localStorage.removeItem(key); }
    }
    if (!base) {
      var started = await json(await fetch(startUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(meta)
      }));
      base = startUrl + started.token + "/";
      offset = started.offset;
      chunkSize = started.chunk_size || chunkSize;
      localStorage.setItem(key, base);
    }
    var failures = 0;
    while (offset < file.size) {
      var blob = file.slice(offset, Math.min(offset + chunkSize, file.size));
      try {
        var digest = await chunkDigest(blob);
        var headers = { "X-CSRFToken": csrf(), "Content-Type": "application/octet-stream" };
        if (digest) headers["X-Chunk-SHA256"] = digest;
        var r = await json(await fetch(base + "?offset=" + offset, { method: "PUT", credentials: "same-origin", headers: headers, body: blob }));
        offset = r.offset; failures = 0;
        progress(offset, file.size);
      } catch (e) {
        if (e.status && e.status !== 409 && e.status < 500) throw e;
        failures += 1;
        if (failures > 8) throw e;
        await sleep(Math.min(30000, 1000 * Math.pow(2, failures)));
        try { offset = (await json(await fetch(base, { credentials: "same-origin" }))).offset; } catch (e2) { /* retry */ }
      }
    }
    var done = await json(await fetch(base + "complete/", { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() } }));
    localStorage.removeItem(key);
    return done;
  }

  document.querySelectorAll("form[data-chunked-upload]").forEach(function (form) {
    var out = form.querySelector("[data-upload-progress]");
    form.addEventListener("submit", async function (ev) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files.length || !window.fetch) return; // plain form submission
      ev.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        for (var i = 0; i < input.files.length; i++) {
          var file = input.files[i];
          var done = await upload(form, file, function (n, total) {
            out.textContent = file.name + "：" + Math.floor(100 * n / total) + "%";
          });
          out.textContent = file.name + " ✓ " + done.algorithm + ":" + done.digest;
        }
        window.location.reload();
      } catch (e) {
        out.textContent = (e && e.message) || String(e);
        out.classList.add("errorlist");
      } finally {
        button.disabled = false;
      }
    });
  });
})();
