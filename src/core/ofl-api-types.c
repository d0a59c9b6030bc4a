/* ofl-api-types.c: parsing what the Oneflow API returns
 *
 * Every body is untrusted: it may be HTML from a CDN, truncated, of the
 * wrong shape or deeply nested. The parsers never crash and never guess:
 * anything malformed is OFL_ERROR_UNEXPECTED_RESPONSE.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ofl-api-types.h"
#include "ofl-error.h"
#include "ofl-json.h"
#include "ofl-soup.h"

void
ofl_account_free (OflAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->name);
  g_free (account);
}

OflUser *
ofl_user_copy (const OflUser *user)
{
  OflUser *copy = g_memdup2 (user, sizeof *user);

  copy->email = g_strdup (user->email);
  copy->name = g_strdup (user->name);
  return copy;
}

void
ofl_user_free (OflUser *user)
{
  if (user == NULL)
    return;
  g_free (user->email);
  g_free (user->name);
  g_free (user);
}

OflWorkspace *
ofl_workspace_copy (const OflWorkspace *workspace)
{
  OflWorkspace *copy = g_new0 (OflWorkspace, 1);

  copy->id = workspace->id;
  copy->name = g_strdup (workspace->name);
  copy->permissions = g_strdupv (workspace->permissions);
  return copy;
}

void
ofl_workspace_free (OflWorkspace *workspace)
{
  if (workspace == NULL)
    return;
  g_free (workspace->name);
  g_strfreev (workspace->permissions);
  g_free (workspace);
}

void
ofl_page_free (OflPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

void
ofl_problem_free (OflProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->title);
  g_free (problem->detail);
  g_free (problem->request_id);
  g_free (problem);
}

static gboolean
set_unexpected (GError     **error,
                const char  *what)
{
  /* Translators: %s says what was wrong, e.g. "the user list is not a list" */
  g_set_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE,
               _("Oneflow sent a response this app does not understand (%s). Try again later; if it keeps happening, contact your IT support."),
               what);
  return FALSE;
}

/* Parses @data and returns its root object, or NULL. */
static JsonNode *
parse_root_object (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  OflJsonProblem problem;

  if (data == NULL || length == 0)
    {
      set_unexpected (error, _("the response was empty"));
      return NULL;
    }

  root = ofl_json_parse_full (data, length, &problem);
  if (root == NULL)
    {
      switch (problem)
        {
        case OFL_JSON_PROBLEM_COMMENT:
          set_unexpected (error, _("the response holds a comment, which JSON does not have"));
          break;
        case OFL_JSON_PROBLEM_TOO_DEEP:
          set_unexpected (error, _("the response is nested too deeply"));
          break;
        case OFL_JSON_PROBLEM_NUMBER:
          set_unexpected (error, _("the response holds a whole number too large to be an ID"));
          break;
        case OFL_JSON_PROBLEM_NONE:
        case OFL_JSON_PROBLEM_INVALID:
        default:
          set_unexpected (error, _("the response is not JSON"));
          break;
        }
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_unexpected (error, _("the response is not a JSON object"));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* A name or email that is kept (links.json, the keyring's label) and shown:
 * NULL when missing, and when longer than any real one, so that a hostile
 * server cannot make what is kept large. */
static const char *
get_kept_string (JsonObject *object,
                 const char *member)
{
  const char *value = ofl_json_get_string (object, member);

  if (value == NULL || strlen (value) > OFL_API_MAX_TEXT_LENGTH)
    return NULL;
  return value;
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject *object,
          const char *member,
          gboolean   *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

OflAccount *
ofl_parse_account (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(JsonNode) root = parse_root_object (data, length, error);
  g_autoptr(OflAccount) account = NULL;
  JsonObject *object;
  const char *name;
  gint64 id;

  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  name = get_kept_string (object, "name");
  if (name == NULL)
    {
      set_unexpected (error, _("the account has no name, or one far too long"));
      return NULL;
    }

  account = g_new0 (OflAccount, 1);
  account->name = g_strdup (name);

  /* Documented as a number; a string of one is accepted rather than fail,
   * but either way it is a whole number that fits in int64, written the
   * one way, so the same account always has the same id. */
  if (!get_int (object, "id", &id) &&
      !(ofl_json_get_string (object, "id") != NULL &&
        g_ascii_string_to_signed (ofl_json_get_string (object, "id"), 10, G_MININT64, G_MAXINT64,
                                  &id, NULL)))
    {
      set_unexpected (error, _("the account ID is missing or not a whole number"));
      return NULL;
    }
  account->id = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return g_steal_pointer (&account);
}

typedef gpointer (*ParseItemFunc) (JsonObject *object);

static OflPage *
parse_page (const char     *data,
            gsize           length,
            ParseItemFunc   parse_item,
            GDestroyNotify  free_item,
            const char     *bad_item,
            GError        **error)
{
  g_autoptr(JsonNode) root = parse_root_object (data, length, error);
  g_autoptr(OflPage) page = NULL;
  JsonObject *object;
  JsonNode *data_node;
  JsonArray *array;
  gint64 count;

  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  data_node = json_object_get_member (object, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_ARRAY (data_node))
    {
      set_unexpected (error, _("the list has no data"));
      return NULL;
    }
  if (!get_int (object, "count", &count) || count < 0 || count > G_MAXINT)
    {
      set_unexpected (error, _("the list has no count"));
      return NULL;
    }

  array = json_node_get_array (data_node);
  page = g_new0 (OflPage, 1);
  page->count = (guint) count;
  page->items = g_ptr_array_new_with_free_func (free_item);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gpointer item = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        item = parse_item (json_node_get_object (node));
      if (item == NULL)
        {
          set_unexpected (error, bad_item);
          return NULL;
        }
      g_ptr_array_add (page->items, item);
    }

  return g_steal_pointer (&page);
}

static gpointer
parse_user (JsonObject *object)
{
  g_autoptr(OflUser) user = g_new0 (OflUser, 1);
  const char *email = get_kept_string (object, "email");

  if (email == NULL || !get_bool (object, "active", &user->active))
    return NULL;
  if (!get_int (object, "id", &user->id))
    return NULL;
  /* A name is optional, but one longer than any real one is not a name. */
  if (ofl_json_get_string (object, "name") != NULL && get_kept_string (object, "name") == NULL)
    return NULL;

  user->email = g_ascii_strdown (email, -1);
  user->name = g_strdup (ofl_json_get_string (object, "name"));
  if (!get_bool (object, "is_admin", &user->is_admin))
    user->is_admin = FALSE;

  return g_steal_pointer (&user);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gpointer
parse_workspace (JsonObject *object)
{
  g_autoptr(OflWorkspace) workspace = g_new0 (OflWorkspace, 1);
  g_autoptr(GPtrArray) granted = g_ptr_array_new_with_free_func (g_free);
  const char *name = get_kept_string (object, "name");
  JsonNode *permissions;

  if (name == NULL || !get_int (object, "id", &workspace->id))
    return NULL;
  workspace->name = g_strdup (name);

  permissions = json_object_get_member (object, "_permissions");
  if (permissions != NULL && JSON_NODE_HOLDS_OBJECT (permissions))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (permissions));
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (json_node_get_value_type (value) != G_TYPE_BOOLEAN ||
              !json_node_get_boolean (value))
            continue;
          /* Oneflow documents five; a list longer than any real one is
           * not kept. */
          if (strlen (key) > OFL_API_MAX_PERMISSION_LENGTH ||
              granted->len >= OFL_API_MAX_PERMISSIONS)
            return NULL;
          g_ptr_array_add (granted, g_strdup (key));
        }
    }

  g_ptr_array_sort (granted, compare_strings);
  g_ptr_array_add (granted, NULL);
  workspace->permissions = (GStrv) g_ptr_array_free (g_steal_pointer (&granted), FALSE);

  return g_steal_pointer (&workspace);
}

OflPage *
ofl_parse_user_page (const char  *data,
                     gsize        length,
                     GError     **error)
{
  return parse_page (data, length, parse_user, (GDestroyNotify) ofl_user_free,
                     _("a user has no email, ID or active flag, or a name or email far too long"), error);
}

OflPage *
ofl_parse_workspace_page (const char  *data,
                          gsize        length,
                          GError     **error)
{
  return parse_page (data, length, parse_workspace, (GDestroyNotify) ofl_workspace_free,
                     _("a workspace has no ID or name, or a name or permission list far too long"), error);
}

OflProblem *
ofl_parse_problem (const char *data,
                   gsize       length)
{
  g_autoptr(JsonNode) root = parse_root_object (data, length, NULL);
  OflProblem *problem;
  JsonObject *object;
  gint64 value;

  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  problem = g_new0 (OflProblem, 1);
  if (get_int (object, "status", &value) && value >= 0 && value < 1000)
    problem->status = (int) value;
  if (get_int (object, "error_code", &value))
    problem->error_code = value;
  problem->title = g_strdup (ofl_json_get_string (object, "title"));
  problem->detail = g_strdup (ofl_json_get_string (object, "detail"));
  problem->request_id = g_strdup (ofl_json_get_string (object, "request_id"));

  return problem;
}

gboolean
ofl_parse_retry_after (const char *value,
                       GDateTime  *now,
                       guint      *seconds)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *trimmed = NULL;
  const OflSoup *soup;
  guint64 number;

  g_return_val_if_fail (seconds != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return FALSE;

  if (g_ascii_isdigit (*trimmed))
    {
      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT, &number, NULL))
        {
          /* All digits but too large: as good as "much later". */
          if (strspn (trimmed, "0123456789") != strlen (trimmed))
            return FALSE;
          number = G_MAXUINT;
        }
      *seconds = (guint) number;
      return TRUE;
    }

  /* An HTTP date: libsoup parses those (opened here if no client has
   * yet, as in the fuzzer); without it the value is unusable. */
  soup = ofl_soup_get (NULL);
  if (soup == NULL || now == NULL)
    return FALSE;
  date = soup->date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return FALSE;

  {
    GTimeSpan span = g_date_time_difference (date, now);
    gint64 secs = span <= 0 ? 0 : (span + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
    *seconds = (guint) MIN (secs, (gint64) G_MAXUINT);
  }

  return TRUE;
}
