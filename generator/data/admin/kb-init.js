// Decap CMS starts only when kb-admin.js has registered our front matter format (CMS.init()).
window.CMS_MANUAL_INIT = true;

// Every file Decap shows (an entry's uploads, the media library, a picture in the body) is a
// blob: URL made on this page's origin, typed by Decap from the file's name: image/svg+xml for
// .svg, nothing for the rest. In an <img> nothing runs; opened in a tab of its own (the
// picture's "open in new tab", a URL pasted by a reviewer) an SVG or HTML document runs its
// script with this origin, where the GitHub token is kept (localStorage) and, under kb edit,
// decap-server answers. A contributor can put such a file beside an entry in a pull request.
// So every blob: URL this page makes is of a type no browser runs: kept if it already is one,
// otherwise the same bytes typed from the file's name when that names a picture, a sound or a
// video, and as text/plain for anything else (a browser shows text/plain as text, and never
// sniffs it into HTML; an empty type it may sniff). Pictures still show in <img>, which reads
// their bytes, not the type; an SVG no longer does (kb validate refuses SVG files anyway).
// Loaded before decap-cms.js, which makes its first blob: URL as it loads.
(function () {
  var INERT = [
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
    "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/webm",
    "video/mp4", "video/webm", "video/ogg", "text/plain", "application/octet-stream",
  ];
  var BY_EXTENSION = {
    png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
    mp3: "audio/mpeg", m4a: "audio/mp4", mp4: "video/mp4",
  };
  var make = URL.createObjectURL;
  var isBlob = function (object) {
    var tag = Object.prototype.toString.call(object);
    return tag === "[object Blob]" || tag === "[object File]";
  };
  function inert(object) {
    var type = String(object.type || "").toLowerCase();
    if (INERT.indexOf(type) !== -1) return object;
    var name = typeof object.name === "string" ? object.name : "";
    var ext = /\.([a-z0-9]+)$/i.exec(name);
    var safe = (ext && BY_EXTENSION[ext[1].toLowerCase()]) || "text/plain";
    return name
      ? new File([object], name, { type: safe, lastModified: object.lastModified })
      : new Blob([object], { type: safe });
  }
  var createObjectURL = function createObjectURL(object) {
    return make.call(URL, isBlob(object) ? inert(object) : object); // a MediaSource: as it is
  };
  Object.defineProperty(URL, "createObjectURL", {
    value: createObjectURL, writable: false, configurable: false, enumerable: true,
  });
})();
