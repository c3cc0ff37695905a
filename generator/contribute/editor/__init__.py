"""The web editor (Decap CMS): its configuration, the files of /admin/, kb edit's local servers."""
