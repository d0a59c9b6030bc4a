/* ofl-link-check.c: checking a stored link now */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ofl-client.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-link-check.h"
#include "ofl-verifier.h"

typedef struct {
  OflStore    *store;
  OflVerifier *verifier;
  /* Why the verdict is not OK; saving it is still attempted. */
  GError      *verdict_error;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->store);
  g_clear_object (&check->verifier);
  g_clear_error (&check->verdict_error);
  g_free (check);
}

static void
finish (GTask  *task,
        GError *error)
{
  ofl_link_set_busy (g_task_get_source_object (task), FALSE);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  GError *save_error = NULL;

  /* The verdict stands even when saving it fails. */
  ofl_store_update_finish (OFL_STORE (object), result, &save_error);
  if (check->verdict_error != NULL)
    {
      g_clear_error (&save_error);
      finish (task, g_steal_pointer (&check->verdict_error));
    }
  else
    finish (task, save_error);
}

static void
record (GTask           *task,
        OflVerification *verification,
        GError          *error)
{
  OflLink *link = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (error != NULL && ofl_error_get_kind (error) == OFL_ERROR_KIND_CANCELLED)
    {
      finish (task, error);
      return;
    }

  /* Verified, but the token now answers for another account. */
  if (verification != NULL &&
      g_strcmp0 (verification->account->id, ofl_link_get_account_id (link)) != 0)
    error = g_error_new (OFL_ERROR, OFL_ERROR_OTHER_ACCOUNT,
                         /* Translators: both %s are Oneflow account names */
                         _("The saved token now belongs to %s, but this link is for %s. "
                           "Link it again with a token from %s."),
                         verification->account->name,
                         ofl_link_get_account_name (link) ? ofl_link_get_account_name (link)
                                                          : ofl_link_get_account_id (link),
                         ofl_link_get_account_name (link) ? ofl_link_get_account_name (link)
                                                          : ofl_link_get_account_id (link));

  ofl_link_record_check (link, verification, error);
  check->verdict_error = error;
  ofl_store_update_async (check->store, link, cancellable, saved_cb, g_object_ref (task));
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(OflVerification) verification = NULL;
  GError *error = NULL;

  verification = ofl_verifier_verify_finish (OFL_VERIFIER (object), result, &error);
  record (task, verification, error);
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflLink *link = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(OflClient) client = NULL;
  GError *error = NULL;

  token = ofl_store_lookup_token_finish (OFL_STORE (object), result, &error);
  if (token == NULL)
    {
      /* No verdict on the link: the keyring did not answer. */
      finish (task, error);
      return;
    }

  /* A keyring that died while saving can keep the item without its
   * secret: no token to check, and the link must be made again. */
  {
    g_autoptr(OflSecret) usable = ofl_credentials_normalize_token (token, NULL);

    if (usable == NULL)
      {
        record (task, NULL,
                g_error_new_literal (OFL_ERROR, OFL_ERROR_TOKEN_REJECTED,
                                     _("The token saved in the keyring for this link is empty or damaged. "
                                       "Link it again with a new token from Oneflow.")));
        return;
      }
  }

  /* Each link is checked against the API it was linked with. */
  client = ofl_client_new (ofl_link_get_api_url (link), ofl_config_get_request_timeout (), &error);
  if (client == NULL)
    {
      record (task, NULL, error);
      return;
    }

  /* The verifier keeps its own wiped copy of the token while it runs. */
  check->verifier = ofl_verifier_new (client);
  ofl_verifier_verify_async (check->verifier, token, ofl_link_get_email (link),
                             cancellable, verified_cb, g_steal_pointer (&task));
}

void
ofl_link_check_async (OflLink             *link,
                      OflStore            *store,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Check *check;

  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (OFL_IS_STORE (store));

  task = g_task_new (link, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_link_check_async);
  /* Cancelling is reported as OFL_ERROR_CANCELLED, like everything else. */
  g_task_set_check_cancellable (task, FALSE);

  check = g_new0 (Check, 1);
  check->store = g_object_ref (store);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  ofl_link_set_busy (link, TRUE);
  ofl_store_lookup_token_async (store, link, cancellable, token_cb, g_steal_pointer (&task));
}

gboolean
ofl_link_check_finish (OflLink       *link,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (OFL_IS_LINK (link), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, link), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_link_check_async, FALSE);

  ok = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (!ok)
    g_propagate_error (error, ofl_error_from_any (local_error));
  return ok;
}
