/* ofl-soup.c: libsoup, opened on first use
 *
 * Linking libsoup made every start of the app about 10 ms slower: it and
 * its dependencies (SQLite, Kerberos, libpsl, brotli, nghttp2) are mapped
 * and relocated with BIND_NOW before main(), and the window's first frame
 * needs no network. So the core is built against libsoup's headers only,
 * and the client reaches the few functions it calls through this table,
 * filled in when the first client is made. */

#include "config.h"

#include <gmodule.h>
#include <glib/gi18n-lib.h>

#include "ofl-error.h"
#include "ofl-soup.h"

typedef struct {
  OflSoup  soup;
  char    *problem;
} Loaded;

static gpointer
load_soup (gpointer user_data)
{
  Loaded *loaded = g_new0 (Loaded, 1);
  GModule *module = g_module_open (SOUP_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

  if (module == NULL)
    {
      loaded->problem = g_strdup (g_module_error ());
      return loaded;
    }

#define OFL_SOUP_LOAD(name)                                                          \
  if (loaded->problem == NULL &&                                                     \
      !g_module_symbol (module, "soup_" #name, (gpointer *) &loaded->soup.name))     \
    loaded->problem = g_strdup (g_module_error ());

  OFL_SOUP_FUNCTIONS (OFL_SOUP_LOAD)

#undef OFL_SOUP_LOAD

  /* Its types and the client's sessions live as long as the process. */
  g_module_make_resident (module);

  return loaded;
}

const OflSoup *
ofl_soup_get (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  Loaded *loaded = g_once (&once, load_soup, NULL);

  if (loaded->problem != NULL)
    {
      g_debug ("Could not load %s: %s", SOUP_SONAME, loaded->problem);
      /* Translators: %s is the file name of a library, such as libsoup-3.0.so.0 */
      g_set_error (error, OFL_ERROR, OFL_ERROR_NETWORK,
                   _("Oneflow Link could not load %s, which it needs to reach Oneflow. "
                     "Reinstall Oneflow Link, or ask your administrator to."),
                   SOUP_SONAME);
      return NULL;
    }

  return &loaded->soup;
}
