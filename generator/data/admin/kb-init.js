// Decap CMS starts only when kb-admin.js has registered our front matter format (CMS.init()).
window.CMS_MANUAL_INIT = true;
