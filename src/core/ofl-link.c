/* ofl-link.c: one stored link between this desktop and a Oneflow user
 *
 * A plain model object: the identity (email, account, API URL) is what
 * the keyring item is found by; everything else is a detail kept in
 * links.json, which never holds a secret.
 */

#include "config.h"

#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-json.h"
#include "ofl-config.h"
#include "ofl-link.h"

struct _OflLink
{
  GObject        parent_instance;

  char          *email;
  char          *account_id;
  char          *api_url;

  char          *account_name;
  char          *user_name;
  GPtrArray     *workspaces;
  OflLinkStatus  status;
  char          *problem;
  GDateTime     *last_checked;
  GDateTime     *last_ok;
  guint          busy : 1;
};

G_DEFINE_FINAL_TYPE (OflLink, ofl_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_ACCOUNT_ID,
  PROP_API_URL,
  PROP_ACCOUNT_NAME,
  PROP_USER_NAME,
  PROP_WORKSPACES,
  PROP_STATUS,
  PROP_PROBLEM,
  PROP_LAST_CHECKED,
  PROP_LAST_OK,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
ofl_link_status_to_nick (OflLinkStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFL_TYPE_LINK_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  return value != NULL ? value->value_nick : "unchecked";
}

static gboolean
status_from_nick (const char    *nick,
                  OflLinkStatus *status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OFL_TYPE_LINK_STATUS);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (value == NULL)
    return FALSE;
  *status = value->value;
  return TRUE;
}

static GPtrArray *
new_workspace_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ofl_workspace_free);
}

static void
ofl_link_finalize (GObject *object)
{
  OflLink *self = (OflLink *) object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->api_url, g_free);
  g_clear_pointer (&self->account_name, g_free);
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->workspaces, g_ptr_array_unref);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->last_checked, g_date_time_unref);
  g_clear_pointer (&self->last_ok, g_date_time_unref);

  G_OBJECT_CLASS (ofl_link_parent_class)->finalize (object);
}

static void
ofl_link_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  OflLink *self = OFL_LINK (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->account_name);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    case PROP_WORKSPACES:
      g_value_set_boxed (value, self->workspaces);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_LAST_CHECKED:
      g_value_set_boxed (value, self->last_checked);
      break;
    case PROP_LAST_OK:
      g_value_set_boxed (value, self->last_ok);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_link_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  OflLink *self = OFL_LINK (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      /* Normalised here so every link compares and stores the same way. */
      self->email = g_ascii_strdown (g_value_get_string (value) ?: "", -1);
      g_strstrip (self->email);
      break;
    case PROP_ACCOUNT_ID:
      self->account_id = g_strdup (g_value_get_string (value) ?: "");
      break;
    case PROP_API_URL:
      self->api_url = g_strdup (g_value_get_string (value) ?: "");
      break;
    case PROP_ACCOUNT_NAME:
      ofl_link_set_account_name (self, g_value_get_string (value));
      break;
    case PROP_USER_NAME:
      ofl_link_set_user_name (self, g_value_get_string (value));
      break;
    case PROP_BUSY:
      ofl_link_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_link_class_init (OflLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ofl_link_finalize;
  object_class->get_property = ofl_link_get_property;
  object_class->set_property = ofl_link_set_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_NAME] =
    g_param_spec_string ("account-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKSPACES] =
    g_param_spec_boxed ("workspaces", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       OFL_TYPE_LINK_STATUS, OFL_LINK_STATUS_UNCHECKED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_CHECKED] =
    g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_OK] =
    g_param_spec_boxed ("last-ok", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ofl_link_init (OflLink *self)
{
  self->workspaces = new_workspace_array ();
  self->status = OFL_LINK_STATUS_UNCHECKED;
}

OflLink *
ofl_link_new (const char *email,
              const char *account_id,
              const char *api_url)
{
  g_return_val_if_fail (email != NULL, NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (api_url != NULL, NULL);

  return g_object_new (OFL_TYPE_LINK,
                       "email", email,
                       "account-id", account_id,
                       "api-url", api_url,
                       NULL);
}

OflLink *
ofl_link_new_from_verification (OflVerification *verification,
                                const char      *api_url)
{
  OflLink *self;

  g_return_val_if_fail (verification != NULL, NULL);
  g_return_val_if_fail (verification->account != NULL, NULL);
  g_return_val_if_fail (verification->user != NULL, NULL);

  self = ofl_link_new (verification->user->email,
                       verification->account->id,
                       api_url);
  ofl_link_record_check (self, verification, NULL);

  return self;
}

const char *
ofl_link_get_email (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->email;
}

const char *
ofl_link_get_account_id (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->account_id;
}

const char *
ofl_link_get_api_url (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->api_url;
}

const char *
ofl_link_get_account_name (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->account_name;
}

void
ofl_link_set_account_name (OflLink    *self,
                           const char *name)
{
  g_return_if_fail (OFL_IS_LINK (self));

  if (g_set_str (&self->account_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_NAME]);
}

const char *
ofl_link_get_user_name (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->user_name;
}

void
ofl_link_set_user_name (OflLink    *self,
                        const char *name)
{
  g_return_if_fail (OFL_IS_LINK (self));

  if (g_set_str (&self->user_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
}

GPtrArray *
ofl_link_get_workspaces (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->workspaces;
}

static gboolean
workspace_equal (const OflWorkspace *a,
                 const OflWorkspace *b)
{
  guint n_a, n_b;

  if (a->id != b->id || g_strcmp0 (a->name, b->name) != 0)
    return FALSE;

  n_a = a->permissions ? g_strv_length (a->permissions) : 0;
  n_b = b->permissions ? g_strv_length (b->permissions) : 0;
  if (n_a != n_b)
    return FALSE;

  for (guint i = 0; i < n_a; i++)
    if (g_strcmp0 (a->permissions[i], b->permissions[i]) != 0)
      return FALSE;

  return TRUE;
}

void
ofl_link_set_workspaces (OflLink   *self,
                         GPtrArray *workspaces)
{
  g_autoptr(GPtrArray) copy = NULL;
  gboolean changed;

  g_return_if_fail (OFL_IS_LINK (self));

  copy = new_workspace_array ();
  if (workspaces != NULL)
    for (guint i = 0; i < workspaces->len; i++)
      g_ptr_array_add (copy, ofl_workspace_copy (g_ptr_array_index (workspaces, i)));

  changed = copy->len != self->workspaces->len;
  for (guint i = 0; !changed && i < copy->len; i++)
    changed = !workspace_equal (g_ptr_array_index (copy, i),
                                g_ptr_array_index (self->workspaces, i));
  if (!changed)
    return;

  g_ptr_array_unref (self->workspaces);
  self->workspaces = g_steal_pointer (&copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACES]);
}

OflLinkStatus
ofl_link_get_status (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), OFL_LINK_STATUS_UNCHECKED);
  return self->status;
}

static void
set_status (OflLink       *self,
            OflLinkStatus  status)
{
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
ofl_link_get_problem (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->problem;
}

static void
set_problem (OflLink    *self,
             const char *problem)
{
  if (g_set_str (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

GDateTime *
ofl_link_get_last_checked (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->last_checked;
}

GDateTime *
ofl_link_get_last_ok (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return self->last_ok;
}

static void
set_date_time (OflLink     *self,
               GDateTime  **field,
               GDateTime   *value,
               guint        prop_id)
{
  if (*field == value ||
      (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return;

  g_clear_pointer (field, g_date_time_unref);
  *field = value ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

gboolean
ofl_link_get_busy (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), FALSE);
  return self->busy;
}

void
ofl_link_set_busy (OflLink  *self,
                   gboolean  busy)
{
  g_return_if_fail (OFL_IS_LINK (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
ofl_link_record_check (OflLink         *self,
                       OflVerification *verification_or_null,
                       const GError    *error_or_null)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (OFL_IS_LINK (self));
  g_return_if_fail (verification_or_null != NULL || error_or_null != NULL);

  if (error_or_null != NULL &&
      ofl_error_get_kind (error_or_null) == OFL_ERROR_KIND_CANCELLED)
    return;

  now = g_date_time_new_now_utc ();
  g_object_freeze_notify (G_OBJECT (self));

  if (error_or_null == NULL)
    {
      OflVerification *v = verification_or_null;

      /* A token that now answers for another account is not this link. */
      if (v->account != NULL && v->account->id != NULL &&
          self->account_id[0] != '\0' &&
          g_strcmp0 (v->account->id, self->account_id) != 0)
        {
          set_status (self, OFL_LINK_STATUS_NEEDS_ATTENTION);
          set_problem (self, ofl_error_code_to_nick (OFL_ERROR_OTHER_ACCOUNT));
        }
      else
        {
          if (v->account != NULL)
            ofl_link_set_account_name (self, v->account->name);
          if (v->user != NULL)
            ofl_link_set_user_name (self, v->user->name);
          ofl_link_set_workspaces (self, v->workspaces);
          set_status (self, OFL_LINK_STATUS_OK);
          set_problem (self, NULL);
          set_date_time (self, &self->last_ok, now, PROP_LAST_OK);
        }
    }
  else
    {
      switch (ofl_error_get_kind (error_or_null))
        {
        case OFL_ERROR_KIND_REJECTED:
        case OFL_ERROR_KIND_INPUT:
          set_status (self, OFL_LINK_STATUS_NEEDS_ATTENTION);
          set_problem (self, ofl_error_get_nick (error_or_null));
          break;

        case OFL_ERROR_KIND_TEMPORARY:
        case OFL_ERROR_KIND_SECURITY:
        case OFL_ERROR_KIND_KEYRING:
        case OFL_ERROR_KIND_NOT_FOUND:
        case OFL_ERROR_KIND_CANCELLED:
        default:
          /* No verdict: keep the status, and keep the reason a link
           * needs attention, since that is what the person must fix. */
          if (self->status != OFL_LINK_STATUS_NEEDS_ATTENTION)
            set_problem (self, ofl_error_get_nick (error_or_null));
          break;
        }
    }

  set_date_time (self, &self->last_checked, now, PROP_LAST_CHECKED);

  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
ofl_link_same_identity (OflLink *self,
                        OflLink *other)
{
  g_return_val_if_fail (OFL_IS_LINK (self), FALSE);
  g_return_val_if_fail (OFL_IS_LINK (other), FALSE);

  return ofl_credentials_email_equal (self->email, other->email) &&
         g_strcmp0 (self->account_id, other->account_id) == 0 &&
         g_strcmp0 (self->api_url, other->api_url) == 0;
}

gboolean
ofl_link_matches (OflLink    *self,
                  const char *email,
                  const char *account_id_or_null)
{
  g_return_val_if_fail (OFL_IS_LINK (self), FALSE);

  if (!ofl_credentials_email_equal (self->email, email))
    return FALSE;
  return account_id_or_null == NULL ||
         g_strcmp0 (self->account_id, account_id_or_null) == 0;
}

static void
add_date_time (JsonBuilder *builder,
               const char  *member,
               GDateTime   *date_time)
{
  json_builder_set_member_name (builder, member);
  if (date_time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (date_time);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
build_json (OflLink  *self,
            gboolean  full)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string_or_null (builder, "email", self->email);
  add_string_or_null (builder, "account_id", self->account_id);
  add_string_or_null (builder, "account_name", self->account_name);
  add_string_or_null (builder, "user_name", self->user_name);
  if (full || self->api_url == NULL)
    add_string_or_null (builder, "api_url", self->api_url);
  else
    {
      /* A link saved before such addresses were refused may hold a
       * password in its address: it is never shown. */
      g_autofree char *shown = ofl_config_redact_api_url (self->api_url);

      add_string_or_null (builder, "api_url", shown);
    }
  add_string_or_null (builder, "status", ofl_link_status_to_nick (self->status));
  add_date_time (builder, "last_checked", self->last_checked);
  if (full)
    add_date_time (builder, "last_ok", self->last_ok);
  add_string_or_null (builder, "problem", self->problem);

  json_builder_set_member_name (builder, "workspaces");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->workspaces->len; i++)
    {
      OflWorkspace *workspace = g_ptr_array_index (self->workspaces, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, workspace->id);
      add_string_or_null (builder, "name", workspace->name);
      if (full)
        {
          json_builder_set_member_name (builder, "permissions");
          json_builder_begin_array (builder);
          for (guint j = 0; workspace->permissions && workspace->permissions[j]; j++)
            json_builder_add_string_value (builder, workspace->permissions[j]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
ofl_link_to_json (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return build_json (self, TRUE);
}

JsonNode *
ofl_link_to_public_json (OflLink *self)
{
  g_return_val_if_fail (OFL_IS_LINK (self), NULL);
  return build_json (self, FALSE);
}

/* Lenient readers: links.json may be old, hand-edited or damaged. */
static GDateTime *
get_date_time (JsonObject *object,
               const char *member)
{
  const char *text = ofl_json_get_string (object, member);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static GPtrArray *
parse_workspaces (JsonObject *object)
{
  GPtrArray *workspaces = new_workspace_array ();
  JsonNode *node = json_object_get_member (object, "workspaces");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return workspaces;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GStrvBuilder) permissions = g_strv_builder_new ();
      OflWorkspace *workspace;
      JsonObject *item;
      JsonNode *id;
      JsonNode *list;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      item = json_node_get_object (element);
      id = json_object_get_member (item, "id");
      if (id == NULL || json_node_get_value_type (id) != G_TYPE_INT64)
        continue;

      list = json_object_get_member (item, "permissions");
      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        {
          JsonArray *strings = json_node_get_array (list);

          for (guint j = 0; j < json_array_get_length (strings); j++)
            {
              JsonNode *value = json_array_get_element (strings, j);

              if (json_node_get_value_type (value) == G_TYPE_STRING)
                g_strv_builder_add (permissions, json_node_get_string (value));
            }
        }

      workspace = g_new0 (OflWorkspace, 1);
      workspace->id = json_node_get_int (id);
      workspace->name = g_strdup (ofl_json_get_string (item, "name"));
      workspace->permissions = g_strv_builder_end (permissions);
      g_ptr_array_add (workspaces, workspace);
    }

  return workspaces;
}

void
ofl_link_apply_json (OflLink    *self,
                     JsonObject *object)
{
  g_autoptr(GPtrArray) workspaces = NULL;
  g_autoptr(GDateTime) last_checked = NULL;
  g_autoptr(GDateTime) last_ok = NULL;
  OflLinkStatus status;

  g_return_if_fail (OFL_IS_LINK (self));
  g_return_if_fail (object != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  ofl_link_set_account_name (self, ofl_json_get_string (object, "account_name"));
  ofl_link_set_user_name (self, ofl_json_get_string (object, "user_name"));

  workspaces = parse_workspaces (object);
  ofl_link_set_workspaces (self, workspaces);

  if (!status_from_nick (ofl_json_get_string (object, "status"), &status))
    status = OFL_LINK_STATUS_UNCHECKED;
  set_status (self, status);
  set_problem (self, ofl_json_get_string (object, "problem"));

  last_checked = get_date_time (object, "last_checked");
  set_date_time (self, &self->last_checked, last_checked, PROP_LAST_CHECKED);
  last_ok = get_date_time (object, "last_ok");
  set_date_time (self, &self->last_ok, last_ok, PROP_LAST_OK);

  g_object_thaw_notify (G_OBJECT (self));
}

/* The order links are listed in: by email, then account name, account
 * id and API address. A GCompareDataFunc. */
int
ofl_link_compare (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  OflLink *link_a = (OflLink *) a;
  OflLink *link_b = (OflLink *) b;
  int cmp;

  cmp = g_strcmp0 (ofl_link_get_email (link_a), ofl_link_get_email (link_b));
  if (cmp == 0)
    {
      g_autofree char *name_a = g_utf8_casefold (ofl_link_get_account_name (link_a) ?: "", -1);
      g_autofree char *name_b = g_utf8_casefold (ofl_link_get_account_name (link_b) ?: "", -1);
      cmp = g_utf8_collate (name_a, name_b);
    }
  if (cmp == 0)
    cmp = g_strcmp0 (ofl_link_get_account_id (link_a), ofl_link_get_account_id (link_b));
  if (cmp == 0)
    cmp = g_strcmp0 (ofl_link_get_api_url (link_a), ofl_link_get_api_url (link_b));

  return cmp;
}
