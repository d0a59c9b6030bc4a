/* ofl-verifier.c: checks a token and a user email against Oneflow
 *
 * The plan (ONEFLOW-API.md): ping, the account, the first page of users
 * and the first page of the user's workspaces all start at once. When a
 * first page's count says there is more, the remaining pages start at
 * once too. The user search stops as soon as the email is found.
 *
 * Every request runs under one cancellable. A rejected token or a
 * security problem decides the outcome, so it cancels the rest; other
 * failures wait for every answer and the most useful cause wins.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-verifier.h"

/* The API's largest offset: a count beyond it cannot be paged anyway,
 * and a wrong count must not turn into thousands of requests. So at most
 * 200 pages of users are looked through (20,000 users). */
#define MAX_OFFSET 19900
#define MAX_USERS (MAX_OFFSET + OFL_CLIENT_PAGE_LIMIT)

struct _OflVerifier
{
  GObject    parent_instance;

  OflClient *client;
};

G_DEFINE_FINAL_TYPE (OflVerifier, ofl_verifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  STEP_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  OflSecret    *token;
  char         *email;
  /* Cancels every request: the caller's cancellable, or a decisive error. */
  GCancellable *cancellable;
  /* Cancels the user pages still running once the user is found. */
  GCancellable *users_cancellable;
  gulong        caller_cancelled_id;
  GCancellable *caller_cancellable;

  guint         pending;
  GError       *error;

  gboolean      steps_done[OFL_VERIFY_N_STEPS];
  OflAccount   *account;
  OflUser      *user;
  gboolean      users_paged;
  guint         user_pages_pending;
  GPtrArray    *workspaces;
  guint         workspaces_total;
  guint         workspace_pages_pending;
  guint         users_total;
  /* The overall deadline (see ofl_verifier_get_deadline()). */
  GSource      *deadline_source;
  GError       *deadline_error;
} Verification;

void
ofl_verification_free (OflVerification *verification)
{
  if (verification == NULL)
    return;
  g_clear_pointer (&verification->account, ofl_account_free);
  g_clear_pointer (&verification->user, ofl_user_free);
  g_clear_pointer (&verification->workspaces, g_ptr_array_unref);
  g_free (verification);
}

char *
ofl_verification_describe_limits (const OflVerification *verification)
{
  g_return_val_if_fail (verification != NULL, NULL);

  if (verification->workspaces == NULL ||
      verification->workspaces_total <= verification->workspaces->len)
    return NULL;

  /* Translators: the first %u is how many workspaces Oneflow lists, the second how many are kept (1000) */
  return g_strdup_printf (_("Oneflow lists %u workspaces for this user; only the first %u are kept and shown."),
                          verification->workspaces_total, verification->workspaces->len);
}

static void
stop_deadline (Verification *data)
{
  if (data->deadline_source != NULL)
    g_source_destroy (data->deadline_source);
  g_clear_pointer (&data->deadline_source, g_source_unref);
}

static void
verification_free (Verification *data)
{
  stop_deadline (data);
  g_clear_error (&data->deadline_error);
  g_clear_pointer (&data->token, ofl_secret_free);
  g_clear_pointer (&data->email, g_free);
  g_cancellable_disconnect (data->caller_cancellable, data->caller_cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->users_cancellable);
  g_clear_error (&data->error);
  g_clear_pointer (&data->account, ofl_account_free);
  g_clear_pointer (&data->user, ofl_user_free);
  g_clear_pointer (&data->workspaces, g_ptr_array_unref);
  g_free (data);
}

static void
ofl_verifier_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OflVerifier *self = OFL_VERIFIER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_verifier_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  OflVerifier *self = OFL_VERIFIER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_verifier_dispose (GObject *object)
{
  OflVerifier *self = OFL_VERIFIER (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (ofl_verifier_parent_class)->dispose (object);
}

static void
ofl_verifier_class_init (OflVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ofl_verifier_get_property;
  object_class->set_property = ofl_verifier_set_property;
  object_class->dispose = ofl_verifier_dispose;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         OFL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OflVerifier::step-finished:
   * @step: an #OflVerifyStep
   * @error: (nullable): why the step failed, or %NULL
   * @detail: (nullable): the step's result, borrowed
   *
   * Emitted as each check returns, so a checklist can fill in live.
   */
  signals[STEP_FINISHED] =
    g_signal_new ("step-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_POINTER, G_TYPE_POINTER);
}

static void
ofl_verifier_init (OflVerifier *self)
{
}

OflVerifier *
ofl_verifier_new (OflClient *client)
{
  g_return_val_if_fail (OFL_IS_CLIENT (client), NULL);

  return g_object_new (OFL_TYPE_VERIFIER, "client", client, NULL);
}

OflClient *
ofl_verifier_get_client (OflVerifier *self)
{
  g_return_val_if_fail (OFL_IS_VERIFIER (self), NULL);
  return self->client;
}

static void
finish_step (GTask         *task,
             OflVerifyStep  step,
             const GError  *error,
             gpointer       detail)
{
  Verification *data = g_task_get_task_data (task);

  if (data->steps_done[step])
    return;
  data->steps_done[step] = TRUE;

  /* Steps cut short by our own cancelling have nothing to report. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_signal_emit (g_task_get_source_object (task), signals[STEP_FINISHED], 0,
                 (int) step, error, detail);
}

/* Keeps the most useful error. */
static void
record_error (GTask        *task,
              OflVerifyStep step,
              GError       *error)
{
  Verification *data = g_task_get_task_data (task);
  g_autoptr(GError) owned = NULL;

  /* A request stopped by the deadline timed out, as far as anyone can tell. */
  if (data->deadline_error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (data->caller_cancellable))
    owned = g_error_copy (data->deadline_error);
  else
    owned = ofl_error_from_any (error);

  g_error_free (error);
  error = owned;

  finish_step (task, step, error, NULL);

  /* Of two equal causes, keep the one with Oneflow's own words, for
   * Copy Details. */
  if (data->error == NULL || ofl_error_get_priority (error) > ofl_error_get_priority (data->error) ||
      (g_error_matches (data->error, error->domain, error->code) &&
       ofl_error_get_detail (data->error) == NULL && ofl_error_get_detail (error) != NULL))
    {
      g_clear_error (&data->error);
      data->error = g_steal_pointer (&owned);
    }

  /* Nothing else can change the verdict, but the other requests are left
   * to end on their own (they fail the same way at once): cancelling a
   * response libsoup 3.6 is reading crashed it now and then, later, in
   * the stream's close (`--check` with a revoked and a working link). */
}

static void
maybe_complete (GTask *task)
{
  Verification *data = g_task_get_task_data (task);
  OflVerification *result;

  if (data->pending > 0)
    return;

  stop_deadline (data);

  /* The caller's cancel wins over anything that came back meanwhile. */
  if (g_cancellable_is_cancelled (data->caller_cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The check was cancelled."));
      return;
    }

  if (data->error != NULL)
    {
      /* Whichever request found it, an unknown user is said in the words
       * of the account the token belongs to, once that account is known. */
      if (g_error_matches (data->error, OFL_ERROR, OFL_ERROR_UNKNOWN_USER) &&
          data->user == NULL && data->users_total > MAX_USERS && data->deadline_error == NULL)
        {
          /* The search stopped at its cap (not at the deadline): say so. */
          g_free (data->error->message);
          data->error->message =
            /* Translators: %s is an email; the first %u a number of users (20000), the second how many Oneflow lists */
            g_strdup_printf (_("%s is not among the first %u users of this Oneflow account, and the app looks no further (Oneflow lists %u). Check the spelling, or use the email of another active user in that account."),
                             data->email, MAX_USERS, data->users_total);
        }
      else if (g_error_matches (data->error, OFL_ERROR, OFL_ERROR_UNKNOWN_USER) &&
               data->account != NULL && data->account->name != NULL && *data->account->name != '\0')
        {
          g_free (data->error->message);
          data->error->message =
            /* Translators: an email, then a Oneflow account name twice */
            g_strdup_printf (_("%s is not a user of %s. The token and the email must belong to the same Oneflow account: "
                               "check the spelling, or use the email of an active user of %s."),
                             data->email, data->account->name, data->account->name);
        }
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }

  result = g_new0 (OflVerification, 1);
  result->account = g_steal_pointer (&data->account);
  result->user = g_steal_pointer (&data->user);
  result->workspaces = g_steal_pointer (&data->workspaces);
  result->workspaces_total = MAX (data->workspaces_total,
                                  result->workspaces ? result->workspaces->len : 0);
  g_task_return_pointer (task, result, (GDestroyNotify) ofl_verification_free);
}

static void
ping_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Verification *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->pending--;
  if (ofl_client_ping_finish (OFL_CLIENT (object), result, &error))
    finish_step (task, OFL_VERIFY_STEP_TOKEN, NULL, NULL);
  else
    record_error (task, OFL_VERIFY_STEP_TOKEN, error);

  maybe_complete (task);
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Verification *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->pending--;
  data->account = ofl_client_get_account_finish (OFL_CLIENT (object), result, &error);
  if (data->account != NULL)
    finish_step (task, OFL_VERIFY_STEP_ACCOUNT, NULL, data->account);
  else
    record_error (task, OFL_VERIFY_STEP_ACCOUNT, error);

  maybe_complete (task);
}

static void users_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
request_users (GTask *task,
               guint  offset)
{
  OflVerifier *self = g_task_get_source_object (task);
  Verification *data = g_task_get_task_data (task);

  data->pending++;
  data->user_pages_pending++;
  ofl_client_get_users_async (self->client, data->token, offset,
                              data->users_cancellable, users_cb, g_object_ref (task));
}

static void
decide_user (GTask *task)
{
  Verification *data = g_task_get_task_data (task);
  GError *error;

  if (data->user == NULL)
    {
      if (data->account != NULL)
        error = g_error_new (OFL_ERROR, OFL_ERROR_UNKNOWN_USER,
                             /* Translators: %s is an email, then an account name */
                             _("%s is not a user of the Oneflow account %s. Check the spelling, or use the email of another active user in that account."),
                             data->email, data->account->name);
      else
        error = g_error_new (OFL_ERROR, OFL_ERROR_UNKNOWN_USER,
                             /* Translators: %s is an email address */
                             _("%s is not a user of this Oneflow account. Check the spelling, or use the email of another active user in that account."),
                             data->email);
      record_error (task, OFL_VERIFY_STEP_USER, error);
    }
  else if (!data->user->active)
    {
      error = g_error_new (OFL_ERROR, OFL_ERROR_USER_DEACTIVATED,
                           /* Translators: %s is an email address */
                           _("The Oneflow user %s is deactivated. Use the email of an active user, or ask a Oneflow administrator to reactivate this one."),
                           data->email);
      record_error (task, OFL_VERIFY_STEP_USER, error);
    }
  else
    finish_step (task, OFL_VERIFY_STEP_USER, NULL, data->user);
}

static void
users_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Verification *data = g_task_get_task_data (task);
  g_autoptr(OflPage) page = NULL;
  GError *error = NULL;

  data->pending--;
  data->user_pages_pending--;

  page = ofl_client_get_users_finish (OFL_CLIENT (object), result, &error);
  if (page == NULL)
    {
      /* Pages cancelled because the user was already found are fine. */
      if (data->user != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);
      else
        record_error (task, OFL_VERIFY_STEP_USER, error);
      maybe_complete (task);
      return;
    }

  if (data->user == NULL)
    {
      for (guint i = 0; i < page->items->len; i++)
        {
          OflUser *user = g_ptr_array_index (page->items, i);

          if (ofl_credentials_email_equal (user->email, data->email))
            {
              /* The other pages, already on their way, are not
               * cancelled (libsoup 3.6, see record_error). */
              data->user = ofl_user_copy (user);
              break;
            }
        }
    }

  /* The first page's count tells how many more pages to ask for. */
  if (!data->users_paged && data->user == NULL)
    {
      data->users_paged = TRUE;
      data->users_total = page->count;
      for (guint offset = page->items->len; offset < MIN (page->count, MAX_OFFSET + 1) && page->items->len > 0;
           offset += OFL_CLIENT_PAGE_LIMIT)
        request_users (task, offset);
    }

  if (data->user != NULL || data->user_pages_pending == 0)
    decide_user (task);

  maybe_complete (task);
}

static void workspaces_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
request_workspaces (GTask *task,
                    guint  offset)
{
  OflVerifier *self = g_task_get_source_object (task);
  Verification *data = g_task_get_task_data (task);

  data->pending++;
  data->workspace_pages_pending++;
  ofl_client_get_workspaces_async (self->client, data->token, data->email, offset,
                                   data->cancellable, workspaces_cb, g_object_ref (task));
}

static void
workspaces_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Verification *data = g_task_get_task_data (task);
  g_autoptr(OflPage) page = NULL;
  GError *error = NULL;
  gboolean first_page = data->workspaces == NULL;

  data->pending--;
  data->workspace_pages_pending--;

  page = ofl_client_get_workspaces_finish (OFL_CLIENT (object), result, &error);
  if (page == NULL)
    {
      record_error (task, OFL_VERIFY_STEP_WORKSPACES, error);
      maybe_complete (task);
      return;
    }

  if (first_page)
    {
      data->workspaces = g_ptr_array_new_with_free_func ((GDestroyNotify) ofl_workspace_free);
      data->workspaces_total = page->count;
      /* Only the pages that hold the workspaces that are kept. */
      for (guint offset = page->items->len;
           offset < MIN (page->count, OFL_VERIFIER_MAX_WORKSPACES) && page->items->len > 0;
           offset += OFL_CLIENT_PAGE_LIMIT)
        request_workspaces (task, offset);
    }

  for (guint i = 0; i < page->items->len && data->workspaces->len < OFL_VERIFIER_MAX_WORKSPACES; i++)
    g_ptr_array_add (data->workspaces, g_steal_pointer (&g_ptr_array_index (page->items, i)));

  if (data->workspace_pages_pending == 0)
    finish_step (task, OFL_VERIFY_STEP_WORKSPACES, NULL, data->workspaces);

  maybe_complete (task);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

guint
ofl_verifier_get_deadline (OflVerifier *self)
{
  g_return_val_if_fail (OFL_IS_VERIFIER (self), 0);
  return OFL_VERIFIER_DEADLINE_FACTOR * ofl_client_get_timeout (self->client);
}

/* However the server trickles its answers, the verification ends: the
 * requests still running are stopped, and the verdict is a time-out. */
static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  Verification *data = g_task_get_task_data (task);
  guint seconds = ofl_verifier_get_deadline (g_task_get_source_object (task));

  g_clear_pointer (&data->deadline_source, g_source_unref);
  data->deadline_error =
    g_error_new (OFL_ERROR, OFL_ERROR_TIMED_OUT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Oneflow did not finish answering within %u second, so the app stopped waiting. Check your network connection and try again; if it keeps happening, contact your IT support.",
                              "Oneflow did not finish answering within %u seconds, so the app stopped waiting. Check your network connection and try again; if it keeps happening, contact your IT support.",
                              seconds),
                 seconds);
  /* The requests still running end as cancelled; record_error() puts
   * this error in their place. A verdict already known stays. */
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

void
ofl_verifier_verify_async (OflVerifier         *self,
                           const char          *token,
                           const char          *email,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Verification *data;

  g_return_if_fail (OFL_IS_VERIFIER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_verifier_verify_async);
  /* maybe_complete() reports cancelling itself, once every request ended. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (Verification, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) verification_free);

  /* Nothing is sent for input that cannot be right. */
  data->token = ofl_credentials_normalize_token (token, &error);
  if (data->token != NULL)
    data->email = ofl_credentials_normalize_email (email, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->cancellable = g_cancellable_new ();
  data->users_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                         G_CALLBACK (caller_cancelled_cb),
                                                         data->cancellable, NULL);
    }
  /* The user pages stop with everything else, and also on their own. */
  g_cancellable_connect (data->cancellable, G_CALLBACK (caller_cancelled_cb),
                         g_object_ref (data->users_cancellable), g_object_unref);

  data->deadline_source = g_timeout_source_new (ofl_verifier_get_deadline (self) * 1000);
  g_source_set_callback (data->deadline_source, deadline_cb, task, NULL);
  g_source_set_name (data->deadline_source, "[oneflow-link] verification deadline");
  g_source_attach (data->deadline_source, g_task_get_context (task));

  data->pending = 2;
  ofl_client_ping_async (self->client, data->token, data->cancellable,
                         ping_cb, g_object_ref (task));
  ofl_client_get_account_async (self->client, data->token, data->cancellable,
                                account_cb, g_object_ref (task));
  request_users (task, 0);
  request_workspaces (task, 0);
}

OflVerification *
ofl_verifier_verify_finish (OflVerifier   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (OFL_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_verifier_verify_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
