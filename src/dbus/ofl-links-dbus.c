/* ofl-links-dbus.c: org.example.OneflowLink.Links1, a front end of the
 * link service */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ofl-api-types.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-dbus-generated.h"
#include "ofl-error.h"
#include "ofl-links-dbus.h"

struct _OflLinksDBus
{
  GObject           parent_instance;

  GApplication     *application;
  OflLinks         *links;
  OflDBusLinks1    *skeleton;
};

G_DEFINE_FINAL_TYPE (OflLinksDBus, ofl_links_dbus, G_TYPE_OBJECT)

/* How long an app with no window stays after answering a call. */
#define OFL_LINKS_DBUS_INACTIVITY_MS 10000

/* Every OflErrorCode gets a D-Bus name after its nick:
 * "token-rejected" is org.example.OneflowLink.Error.TokenRejected. */
static void
register_errors (void)
{
  static gsize registered = 0;

  if (!g_once_init_enter (&registered))
    return;

  for (int code = 0; code <= OFL_ERROR_DETAILS_NOT_SAVED; code++)
    {
      const char *nick = ofl_error_code_to_nick (code);
      g_autoptr(GString) name = g_string_new ("org.example.OneflowLink.Error.");
      gboolean upper = TRUE;

      for (const char *c = nick; *c != '\0'; c++)
        {
          if (*c == '-')
            {
              upper = TRUE;
              continue;
            }
          g_string_append_c (name, upper ? g_ascii_toupper (*c) : *c);
          upper = FALSE;
        }
      g_dbus_error_register_error (OFL_ERROR, code, name->str);
    }

  g_once_init_leave (&registered, 1);
}

typedef struct _Call Call;
typedef void (*CallStep) (Call *call);

/* One call under way: the application stays up until it is answered. */
struct _Call {
  OflLinksDBus          *self;
  GDBusMethodInvocation *invocation;
  char                  *email;
  char                  *account_id;
  OflLink               *link;
  guint                  pid;
  /* What to do once the links are known. */
  CallStep               then;
};

static void
call_free (Call *call)
{
  g_application_release (call->self->application);
  g_clear_object (&call->self);
  g_clear_object (&call->invocation);
  g_clear_pointer (&call->email, g_free);
  g_clear_pointer (&call->account_id, g_free);
  g_clear_object (&call->link);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static Call *
call_new (OflLinksDBus          *self,
          GDBusMethodInvocation *invocation,
          const char            *email,
          const char            *account_id)
{
  Call *call = g_new0 (Call, 1);

  /* An integration often asks twice (ListLinks, then GetCredentials):
   * an app D-Bus started for it stays a while after each answer, as a
   * service does, rather than quit between the two. */
  g_application_set_inactivity_timeout (self->application, OFL_LINKS_DBUS_INACTIVITY_MS);
  g_application_hold (self->application);
  call->self = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  call->email = g_strdup (email);
  /* "" or "0": the only link of the email. */
  call->account_id = account_id != NULL && *account_id != '\0' && g_strcmp0 (account_id, "0") != 0
                     ? g_strdup (account_id) : NULL;

  return call;
}

static void
return_error (Call         *call,
              const GError *error)
{
  g_dbus_method_invocation_return_gerror (g_steal_pointer (&call->invocation), error);
}

/* The link the call names, once the links are known; NULL with the
 * error returned to the caller. */
static OflLink *
find_link (Call *call)
{
  g_autofree char *email = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  email = ofl_credentials_normalize_email (call->email, &error);
  if (email == NULL)
    {
      return_error (call, error);
      return NULL;
    }

  found = ofl_links_find (call->self->links, email, call->account_id);
  if (found->len == 0)
    {
      error = g_error_new (OFL_ERROR, OFL_ERROR_NO_SUCH_LINK,
                           /* Translators: %s is an email */
                           _("No link for %s is saved on this computer."), email);
      return_error (call, error);
      return NULL;
    }
  if (found->len > 1)
    {
      error = g_error_new (OFL_ERROR, OFL_ERROR_NO_SUCH_LINK,
                           /* Translators: %s is an email */
                           _("%s is linked to more than one Oneflow account: name the account ID."), email);
      return_error (call, error);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (found, 0));
}

/* Runs @then once the service has read the links again: another
 * process (the command line, a second window) may have changed them. */
static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;

  if (!ofl_links_load_finish (OFL_LINKS (object), result, &error))
    {
      return_error (call, error);
      return;
    }

  {
    CallStep then = call->then;

    then (g_steal_pointer (&call));
  }
}

static void
after_reload (Call     *call,
             CallStep  then)
{
  call->then = then;
  ofl_links_load_async (call->self->links, NULL, loaded_cb, call);
}

/* ListLinks */

static GVariant *
describe_link (OflLink *link)
{
  GVariantBuilder dict, workspaces;
  GPtrArray *list = ofl_link_get_workspaces (link);
  GDateTime *checked = ofl_link_get_last_checked (link);
  g_autofree char *api_url = ofl_config_redact_api_url (ofl_link_get_api_url (link));

  g_variant_builder_init (&workspaces, G_VARIANT_TYPE ("a(xs)"));
  for (guint i = 0; i < list->len; i++)
    {
      OflWorkspace *workspace = g_ptr_array_index (list, i);

      g_variant_builder_add (&workspaces, "(xs)", workspace->id, workspace->name ? workspace->name : "");
    }

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "email", g_variant_new_string (ofl_link_get_email (link)));
  g_variant_builder_add (&dict, "{sv}", "account_id", g_variant_new_string (ofl_link_get_account_id (link)));
  g_variant_builder_add (&dict, "{sv}", "account_name",
                         g_variant_new_string (ofl_link_get_account_name (link) ?: ""));
  g_variant_builder_add (&dict, "{sv}", "user_name", g_variant_new_string (ofl_link_get_user_name (link) ?: ""));
  g_variant_builder_add (&dict, "{sv}", "api_url", g_variant_new_string (api_url ? api_url : ""));
  g_variant_builder_add (&dict, "{sv}", "status",
                         g_variant_new_string (ofl_link_status_to_nick (ofl_link_get_status (link))));
  g_variant_builder_add (&dict, "{sv}", "problem", g_variant_new_string (ofl_link_get_problem (link) ?: ""));
  g_variant_builder_add (&dict, "{sv}", "last_checked",
                         g_variant_new_int64 (checked ? g_date_time_to_unix (checked) : 0));
  g_variant_builder_add (&dict, "{sv}", "workspaces", g_variant_builder_end (&workspaces));

  return g_variant_builder_end (&dict);
}

static void
list_links (Call *owned)
{
  g_autoptr(Call) call = owned;
  GListModel *model = ofl_links_get_model (call->self->links);
  GVariantBuilder links;

  g_variant_builder_init (&links, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OflLink) link = g_list_model_get_item (model, i);

      g_variant_builder_add_value (&links, describe_link (link));
    }

  ofl_dbus_links1_complete_list_links (call->self->skeleton, g_steal_pointer (&call->invocation),
                                       g_variant_builder_end (&links));
}

static gboolean
handle_list_links (OflLinksDBus          *self,
                   GDBusMethodInvocation *invocation)
{
  after_reload (call_new (self, invocation, NULL, NULL), list_links);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* GetCredentials */

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(OflSecret) token = NULL;
  g_autofree char *pid = NULL;
  g_autoptr(GError) error = NULL;
  const char *sender = g_dbus_method_invocation_get_sender (call->invocation);

  token = ofl_links_lookup_token_finish (OFL_LINKS (object), result, &error);
  if (token == NULL)
    {
      return_error (call, error);
      return;
    }

  /* Who was given a token, in the journal; never the token. */
  pid = call->pid > 0 ? g_strdup_printf ("%u", call->pid) : g_strdup ("");
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "OFL_DBUS_CALLER", sender ? sender : "",
                    "OFL_DBUS_CALLER_PID", pid,
                    "OFL_LINK_EMAIL", ofl_link_get_email (call->link),
                    "MESSAGE", "GetCredentials: gave the token of %s (%s) to %s%s%s",
                    ofl_link_get_email (call->link), ofl_link_get_account_id (call->link),
                    sender ? sender : "?", call->pid > 0 ? ", process " : "", pid);

  ofl_dbus_links1_complete_get_credentials (call->self->skeleton, g_steal_pointer (&call->invocation),
                                            token, ofl_link_get_email (call->link),
                                            ofl_link_get_api_url (call->link));
}

/* Not in one argument list with g_steal_pointer (&call): the order in
 * which arguments are evaluated is unspecified. */
static void
look_up_token (Call *call)
{
  OflLinks *links = call->self->links;
  OflLink *link = call->link;

  ofl_links_lookup_token_async (links, link, NULL, token_cb, call);
}

static void
caller_pid_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);

  /* Where the bus says: a caller in another PID namespace has none. */
  if (reply != NULL)
    g_variant_get (reply, "(u)", &call->pid);

  look_up_token (g_steal_pointer (&call));
}

static void
get_credentials (Call *owned)
{
  g_autoptr(Call) call = owned;
  const char *sender = g_dbus_method_invocation_get_sender (call->invocation);
  GDBusConnection *connection = g_dbus_method_invocation_get_connection (call->invocation);

  call->link = find_link (call);
  if (call->link == NULL)
    return;

  if (sender == NULL)
    {
      look_up_token (g_steal_pointer (&call));
      return;
    }

  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                          g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, caller_pid_cb, g_steal_pointer (&call));
}

static gboolean
handle_get_credentials (OflLinksDBus          *self,
                        GDBusMethodInvocation *invocation,
                        const char            *email,
                        const char            *account_id)
{
  after_reload (call_new (self, invocation, email, account_id), get_credentials);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* EnsureCredentials */

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;

  if (!ofl_links_check_finish (OFL_LINKS (object), result, &error))
    {
      return_error (call, error);
      return;
    }

  ofl_dbus_links1_complete_ensure_credentials (call->self->skeleton, g_steal_pointer (&call->invocation));
}

static void
ensure_credentials (Call *owned)
{
  g_autoptr(Call) call = owned;

  OflLinks *links = call->self->links;

  call->link = find_link (call);
  if (call->link == NULL)
    return;

  /* Not in one argument list with g_steal_pointer (&call): the order in
   * which arguments are evaluated is unspecified. */
  {
    OflLink *link = call->link;

    ofl_links_check_async (links, link, NULL, checked_cb, g_steal_pointer (&call));
  }
}

static gboolean
handle_ensure_credentials (OflLinksDBus          *self,
                           GDBusMethodInvocation *invocation,
                           const char            *email,
                           const char            *account_id)
{
  after_reload (call_new (self, invocation, email, account_id), ensure_credentials);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Relink */

static void
relink (Call *owned)
{
  g_autoptr(Call) call = owned;

  call->link = find_link (call);
  if (call->link == NULL)
    return;

  /* The same app.relink a notification and --relink activate. */
  g_action_group_activate_action (G_ACTION_GROUP (call->self->application), "relink",
                                  g_variant_new_string (ofl_link_get_email (call->link)));
  ofl_dbus_links1_complete_relink (call->self->skeleton, g_steal_pointer (&call->invocation));
}

static gboolean
handle_relink (OflLinksDBus          *self,
               GDBusMethodInvocation *invocation,
               const char            *email,
               const char            *account_id)
{
  after_reload (call_new (self, invocation, email, account_id), relink);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* LinkChanged */

static void
emit_changed (OflLinksDBus *self,
              OflLink      *link,
              const char   *status)
{
  ofl_dbus_links1_emit_link_changed (self->skeleton, ofl_link_get_email (link),
                                     ofl_link_get_account_id (link), status);
}

static void
link_checked_cb (OflLinksDBus *self,
                 OflLink      *link)
{
  emit_changed (self, link, ofl_link_status_to_nick (ofl_link_get_status (link)));
}

static void
link_saved_cb (OflLinksDBus *self,
               OflLink      *link,
               OflLink      *replaced)
{
  if (replaced != NULL && !ofl_link_same_identity (replaced, link))
    emit_changed (self, replaced, "removed");
  emit_changed (self, link, ofl_link_status_to_nick (ofl_link_get_status (link)));
}

static void
link_removed_cb (OflLinksDBus *self,
                 OflLink      *link)
{
  emit_changed (self, link, "removed");
}

/* The object */

gboolean
ofl_links_dbus_export (OflLinksDBus     *self,
                       GDBusConnection  *connection,
                       const char       *object_path,
                       GError          **error)
{
  g_return_val_if_fail (OFL_IS_LINKS_DBUS (self), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, object_path, error);
}

void
ofl_links_dbus_unexport (OflLinksDBus *self)
{
  g_return_if_fail (OFL_IS_LINKS_DBUS (self));

  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}

static void
ofl_links_dbus_dispose (GObject *object)
{
  OflLinksDBus *self = OFL_LINKS_DBUS (object);

  if (self->skeleton != NULL &&
      g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)) != NULL)
    ofl_links_dbus_unexport (self);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->links);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (ofl_links_dbus_parent_class)->dispose (object);
}

static void
ofl_links_dbus_class_init (OflLinksDBusClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ofl_links_dbus_dispose;
  register_errors ();
}

static void
ofl_links_dbus_init (OflLinksDBus *self)
{
  self->skeleton = ofl_dbus_links1_skeleton_new ();

  g_signal_connect_object (self->skeleton, "handle-list-links", G_CALLBACK (handle_list_links),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skeleton, "handle-get-credentials", G_CALLBACK (handle_get_credentials),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skeleton, "handle-ensure-credentials", G_CALLBACK (handle_ensure_credentials),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->skeleton, "handle-relink", G_CALLBACK (handle_relink),
                           self, G_CONNECT_SWAPPED);
}

OflLinksDBus *
ofl_links_dbus_new (GApplication *application,
                    OflLinks     *links)
{
  OflLinksDBus *self = g_object_new (OFL_TYPE_LINKS_DBUS, NULL);

  self->application = g_object_ref (application);
  self->links = g_object_ref (links);
  g_signal_connect_object (links, "checked", G_CALLBACK (link_checked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (links, "linked", G_CALLBACK (link_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (links, "unlinked", G_CALLBACK (link_removed_cb), self, G_CONNECT_SWAPPED);

  return self;
}
