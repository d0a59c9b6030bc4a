/* ofl-config.h: where settings come from (GSettings, then the environment) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OFL_SETTINGS_SCHEMA_ID "org.example.OneflowLink"

/* ONEFLOW_LINK_API_URL, else the api-url setting, else the default. */
char   *ofl_config_get_api_url         (void);
/* The request-timeout setting, in seconds. */
guint   ofl_config_get_request_timeout (void);
/* Whether this process runs in a Flatpak sandbox. */
gboolean ofl_config_in_flatpak         (void);

/* Checks an API URL: https://, or http:// to 127.0.0.0/8, localhost or
 * [::1], with no user name or password. Sets OFL_ERROR_INSECURE_URL
 * otherwise, with a message that never shows a password. */
gboolean ofl_config_check_api_url      (const char  *url,
                                        GError     **error);

/* @url without a user name or password, for showing (a link saved before
 * such addresses were refused may still hold one). */
char    *ofl_config_redact_api_url     (const char  *url);

G_END_DECLS
