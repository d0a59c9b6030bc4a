/* ofl-config.c: where settings come from (GSettings, then the environment) */

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "ofl-config.h"
#include "ofl-error.h"

#define DEFAULT_REQUEST_TIMEOUT 20

/* The schema is missing when the binary runs from a build tree without
 * GSETTINGS_SCHEMA_DIR; fall back to the defaults instead of aborting. */
static GSettings *
get_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, OFL_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Settings schema %s not installed; using defaults", OFL_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

char *
ofl_config_get_api_url (void)
{
  const char *env = g_getenv ("ONEFLOW_LINK_API_URL");
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *url = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  settings = get_settings ();
  if (settings != NULL)
    url = g_settings_get_string (settings, "api-url");

  if (url == NULL || *url == '\0')
    return g_strdup (DEFAULT_API_URL);

  return g_steal_pointer (&url);
}

gboolean
ofl_config_in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

guint
ofl_config_get_request_timeout (void)
{
  g_autoptr(GSettings) settings = get_settings ();

  if (settings == NULL)
    return DEFAULT_REQUEST_TIMEOUT;
  return g_settings_get_uint (settings, "request-timeout");
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* @url as it may be shown: without a user name or password, even when it
 * does not parse (then everything between "//" and the last "@" before the
 * path goes). */
static char *
redact_url (const char *url,
            GUri       *uri)
{
  g_autoptr(GUri) parsed = NULL;

  const char *authority, *end, *at = NULL;
  g_autofree char *head = NULL;

  if (uri == NULL)
    uri = parsed = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);

  authority = strstr (url, "//");
  if (authority == NULL)
    return g_strdup (url);
  authority += 2;
  end = authority + strcspn (authority, "/?#");
  for (const char *p = authority; p < end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL)
    return g_strdup (url);
  head = g_strndup (url, authority - url);
  return g_strconcat (head, at + 1, NULL);
}

char *
ofl_config_redact_api_url (const char *url)
{
  g_return_val_if_fail (url != NULL, NULL);
  return redact_url (url, NULL);
}

gboolean
ofl_config_check_api_url (const char  *url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *shown = NULL;
  const char *scheme;

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      shown = redact_url (url ? url : "", uri);
      g_set_error (error, OFL_ERROR, OFL_ERROR_INSECURE_URL,
                   /* Translators: %s is the configured URL */
                   _("The Oneflow API address “%s” is not a valid web address. Ask your IT support to correct the app’s settings."),
                   shown);
      return FALSE;
    }

  shown = redact_url (url, uri);

  /* A password in the address would be kept with every link and shown by
   * --list; the API is signed in to with the token alone. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, OFL_ERROR, OFL_ERROR_INSECURE_URL,
                   /* Translators: %s is the configured URL, without the user name and password */
                   _("The Oneflow API address “%s” holds a user name or password, which this app does not accept: it signs in with the API token alone. Ask your IT support to remove the part before “@” from the app’s settings."),
                   shown);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri)))
    return TRUE;

  g_set_error (error, OFL_ERROR, OFL_ERROR_INSECURE_URL,
               /* Translators: %s is the configured URL */
               _("The Oneflow API address “%s” is not secure. Only https:// addresses are used, so your token is never sent in the clear. Ask your IT support to correct the app’s settings."),
               shown);
  return FALSE;
}
