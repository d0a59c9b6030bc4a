/* ofl-links.c: the links of this desktop, and everything done to them */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ofl-client.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-links-private.h"

struct _OflLinks
{
  GObject     parent_instance;

  OflStore   *store;
  GListStore *model;
  gboolean    loaded;
  /* OflLink → GPtrArray of the GTasks waiting for its running check. */
  GHashTable *running_checks;
  /* The GTasks waiting for the joined load, while it runs. */
  GPtrArray  *load_waiters;
};

G_DEFINE_FINAL_TYPE (OflLinks, ofl_links, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

enum {
  CHECKED,
  CHECKED_ALL,
  LINKED,
  UNLINKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
ofl_link_result_free (OflLinkResult *result)
{
  g_clear_object (&result->link);
  g_clear_object (&result->replaced);
  g_clear_pointer (&result->limits_note, g_free);
  g_free (result);
}

static void
check_outcome_free (OflCheckOutcome *outcome)
{
  g_clear_object (&outcome->link);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

static const char *
account_label (OflLink *link)
{
  const char *name = ofl_link_get_account_name (link);

  return name && *name ? name : ofl_link_get_account_id (link);
}

/* The same-account rule: a token that answers for another account than
 * @link's is never taken as @link's. */
static GError *
check_same_account (OflVerification *verification,
                    OflLink         *link,
                    gboolean         relinking)
{
  const char *other = verification->account->name ? verification->account->name
                                                   : verification->account->id;

  if (g_strcmp0 (verification->account->id, ofl_link_get_account_id (link)) == 0)
    return NULL;

  if (relinking)
    return g_error_new (OFL_ERROR, OFL_ERROR_OTHER_ACCOUNT,
                        /* Translators: all three %s are Oneflow account names */
                        _("This token belongs to %s, but this link is for %s. "
                          "Generate a token in %s, or add this one as a separate link."),
                        other, account_label (link), account_label (link));

  return g_error_new (OFL_ERROR, OFL_ERROR_OTHER_ACCOUNT,
                      /* Translators: all three %s are Oneflow account names */
                      _("The saved token now belongs to %s, but this link is for %s. "
                        "Link it again with a token from %s."),
                      other, account_label (link), account_label (link));
}

static gboolean
same_identity_cb (gconstpointer a,
                  gconstpointer b)
{
  return ofl_link_same_identity ((OflLink *) a, (OflLink *) b);
}

/* A keyring that died while saving can keep the item without its
 * secret: no token anyone could use, and the link must be made again. */
static OflSecret *
usable_token (const char  *stored,
              GError     **error)
{
  OflSecret *token = ofl_credentials_normalize_token (stored, NULL);

  if (token == NULL)
    g_set_error_literal (error, OFL_ERROR, OFL_ERROR_TOKEN_REJECTED,
                         _("The token saved in the keyring for this link is empty or damaged. "
                           "Link it again with a new token from Oneflow."));
  return token;
}

/* The model's link with @link's identity, or NULL. */
static OflLink *
find_same (OflLinks *self,
           OflLink  *link,
           guint    *position)
{
  guint found;

  if (!g_list_store_find_with_equal_func (self->model, link, same_identity_cb, &found))
    return NULL;
  if (position != NULL)
    *position = found;
  return g_list_model_get_item (G_LIST_MODEL (self->model), found);
}

static void
model_remove (OflLinks *self,
              OflLink  *link)
{
  guint position;
  g_autoptr(OflLink) found = find_same (self, link, &position);

  if (found != NULL)
    g_list_store_remove (self->model, position);
}

/* Loading */

static void
set_loaded (OflLinks *self)
{
  if (self->loaded)
    return;
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflLinks *self = g_task_get_source_object (task);
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  guint n;

  listed = ofl_store_list_finish (OFL_STORE (object), result, &error);
  if (listed == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A link being checked stays the same object, so the check's verdict
   * lands on what the front ends show. */
  n = g_list_model_get_n_items (listed);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OflLink) link = g_list_model_get_item (listed, i);
      g_autoptr(OflLink) shown = find_same (self, link, NULL);

      g_ptr_array_add (items, shown != NULL && ofl_link_get_busy (shown)
                              ? g_steal_pointer (&shown) : g_steal_pointer (&link));
    }

  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       items->pdata, items->len);
  set_loaded (self);
  g_task_return_boolean (task, TRUE);
}

void
ofl_links_load_async (OflLinks            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_LINKS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_load_async);
  ofl_store_list_async (self->store, cancellable, list_cb, g_steal_pointer (&task));
}

gboolean
ofl_links_load_finish (OflLinks      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
joined_load_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OflLinks) self = user_data;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->load_waiters);
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  loaded = ofl_links_load_finish (self, result, &error);
  /* A waiter whose cancellable was cancelled meanwhile gets
   * G_IO_ERROR_CANCELLED from its GTask. */
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (loaded)
        g_task_return_boolean (waiter, TRUE);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

void
ofl_links_join_load_async (OflLinks            *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_LINKS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_join_load_async);

  if (self->load_waiters != NULL)
    {
      g_ptr_array_add (self->load_waiters, g_steal_pointer (&task));
      return;
    }

  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->load_waiters, g_steal_pointer (&task));
  /* The keyring guard bounds it; no one caller may cancel it. */
  ofl_links_load_async (self, NULL, joined_load_cb, g_object_ref (self));
}

/* Linking */

typedef struct {
  OflVerifier   *verifier;
  OflSecret     *token;
  OflLink       *relink;
  gboolean       allow_other_account;
  OflLinkResult *result;
} Linking;

static void
linking_free (Linking *linking)
{
  g_clear_object (&linking->verifier);
  g_clear_pointer (&linking->token, ofl_secret_free);
  g_clear_object (&linking->relink);
  g_clear_pointer (&linking->result, ofl_link_result_free);
  g_free (linking);
}

static void
linking_done (GTask *task)
{
  OflLinks *self = g_task_get_source_object (task);
  Linking *linking = g_task_get_task_data (task);
  OflLinkResult *result = linking->result;

  if (result->replaced != NULL)
    model_remove (self, result->replaced);
  model_remove (self, result->link);
  g_list_store_insert_sorted (self->model, result->link, ofl_link_compare, NULL);

  g_signal_emit (self, signals[LINKED], 0, result->link, result->replaced);
  g_task_return_pointer (task, g_steal_pointer (&linking->result), (GDestroyNotify) ofl_link_result_free);
}

static void
old_removed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Linking *linking = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The new link is saved either way; the old one stays listed, to be
   * removed by hand. */
  if (!ofl_store_remove_finish (OFL_STORE (object), result, &error) &&
      !g_error_matches (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK))
    {
      g_message ("Could not remove the re-linked link's old item: %s", error->message);
      g_clear_object (&linking->result->replaced);
    }

  linking_done (task);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Linking *linking = g_task_get_task_data (task);
  OflLink *old = linking->result->replaced;
  GError *error = NULL;

  if (!ofl_store_save_finish (OFL_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&linking->token, ofl_secret_free);

  /* Re-linked with another user of the same account: the new link is
   * saved, so the old one can go now. */
  if (old != NULL && !ofl_link_same_identity (old, linking->result->link))
    {
      ofl_store_remove_async (OFL_STORE (object), old, NULL, old_removed_cb, g_steal_pointer (&task));
      return;
    }

  linking_done (task);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflLinks *self = g_task_get_source_object (task);
  Linking *linking = g_task_get_task_data (task);
  g_autoptr(OflVerification) verification = NULL;
  OflClient *client = ofl_verifier_get_client (OFL_VERIFIER (object));
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  OflLink *link;

  verification = ofl_verifier_verify_finish (OFL_VERIFIER (object), result, &error);
  if (verification == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (linking->relink != NULL && !linking->allow_other_account &&
      (error = check_same_account (verification, linking->relink, TRUE)) != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  linking->result = g_new0 (OflLinkResult, 1);
  link = linking->result->link = ofl_link_new_from_verification (verification, ofl_client_get_base_url (client));
  linking->result->limits_note = ofl_verification_describe_limits (verification);

  /* What the new link takes the place of: the link being repaired, when
   * it stays in the same account, or a link of the same identity. */
  if (linking->relink != NULL &&
      g_strcmp0 (ofl_link_get_account_id (linking->relink), ofl_link_get_account_id (link)) == 0 &&
      g_strcmp0 (ofl_link_get_api_url (linking->relink), ofl_link_get_api_url (link)) == 0)
    linking->result->replaced = g_object_ref (linking->relink);
  else
    linking->result->replaced = find_same (self, link, NULL);

  ofl_store_save_async (self->store, link, linking->token, cancellable, saved_cb, g_steal_pointer (&task));
}

void
ofl_links_link_async (OflLinks            *self,
                      OflVerifier         *verifier,
                      const char          *token,
                      const char          *email,
                      OflLink             *relink_or_null,
                      gboolean             allow_other_account,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Linking *linking;

  g_return_if_fail (OFL_IS_LINKS (self));
  g_return_if_fail (OFL_IS_VERIFIER (verifier));
  g_return_if_fail (token != NULL && email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_link_async);

  linking = g_new0 (Linking, 1);
  linking->verifier = g_object_ref (verifier);
  linking->token = ofl_secret_dup (token);
  linking->relink = relink_or_null ? g_object_ref (relink_or_null) : NULL;
  linking->allow_other_account = allow_other_account;
  g_task_set_task_data (task, linking, (GDestroyNotify) linking_free);

  ofl_verifier_verify_async (verifier, token, email, cancellable, verified_cb, g_steal_pointer (&task));
}

OflLinkResult *
ofl_links_link_finish (OflLinks      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Checking one link */

typedef struct {
  OflLinks    *self;
  OflLink     *link;
  OflVerifier *verifier;
  /* Why the verdict is not OK; saving it is still attempted. */
  GError      *verdict_error;
  GCancellable *cancellable;
} Check;

static void
check_end (Check  *check,
           GError *error)
{
  OflLinks *self = check->self;
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(OflLink) key = NULL;
  g_autoptr(GError) owned = error;

  g_hash_table_steal_extended (self->running_checks, check->link, (gpointer *) &key, (gpointer *) &waiters);
  ofl_link_set_busy (check->link, FALSE);

  if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[CHECKED], 0, check->link, error);

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }

  g_clear_object (&check->verifier);
  g_clear_object (&check->cancellable);
  g_clear_error (&check->verdict_error);
  g_object_unref (check->link);
  g_object_unref (check->self);
  g_free (check);
}

static void
verdict_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Check *check = user_data;
  GError *save_error = NULL;

  /* The verdict stands even when saving it fails. */
  ofl_store_update_finish (OFL_STORE (object), result, &save_error);
  if (check->verdict_error != NULL)
    {
      g_clear_error (&save_error);
      check_end (check, g_steal_pointer (&check->verdict_error));
    }
  else
    check_end (check, save_error);
}

static void
record_verdict (Check           *check,
                OflVerification *verification,
                GError          *error)
{
  if (error != NULL && ofl_error_get_kind (error) == OFL_ERROR_KIND_CANCELLED)
    {
      check_end (check, error);
      return;
    }

  if (verification != NULL)
    error = check_same_account (verification, check->link, FALSE);

  ofl_link_record_check (check->link, verification, error);
  check->verdict_error = error;
  ofl_store_update_async (check->self->store, check->link, check->cancellable, verdict_saved_cb, check);
}

static void
check_verified_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OflVerification) verification = NULL;
  GError *error = NULL;

  verification = ofl_verifier_verify_finish (OFL_VERIFIER (object), result, &error);
  record_verdict (user_data, verification, error);
}

static void
check_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(OflSecret) usable = NULL;
  g_autoptr(OflClient) client = NULL;
  GError *error = NULL;

  token = ofl_store_lookup_token_finish (OFL_STORE (object), result, &error);
  if (token == NULL)
    {
      /* No verdict on the link: the keyring did not answer. */
      check_end (check, error);
      return;
    }

  /* Nothing to check: the link needs attention. */
  usable = usable_token (token, &error);
  if (usable == NULL)
    {
      record_verdict (check, NULL, error);
      return;
    }

  /* Each link is checked against the API it was linked with. */
  client = ofl_client_new (ofl_link_get_api_url (check->link), ofl_config_get_request_timeout (), &error);
  if (client == NULL)
    {
      record_verdict (check, NULL, error);
      return;
    }

  /* The verifier keeps its own wiped copy of the token while it runs. */
  check->verifier = ofl_verifier_new (client);
  ofl_verifier_verify_async (check->verifier, token, ofl_link_get_email (check->link),
                             check->cancellable, check_verified_cb, check);
}

void
ofl_links_check_async (OflLinks            *self,
                       OflLink             *link,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  GPtrArray *waiters;
  Check *check;

  g_return_if_fail (OFL_IS_LINKS (self));
  g_return_if_fail (OFL_IS_LINK (link));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_check_async);
  /* The check's own end answers, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);

  /* Asked again while it runs: the check under way answers this too. */
  waiters = g_hash_table_lookup (self->running_checks, link);
  if (waiters != NULL)
    {
      g_ptr_array_add (waiters, task);
      return;
    }

  waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiters, task);
  g_hash_table_insert (self->running_checks, g_object_ref (link), waiters);

  check = g_new0 (Check, 1);
  check->self = g_object_ref (self);
  check->link = g_object_ref (link);
  check->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  ofl_link_set_busy (link, TRUE);
  ofl_store_lookup_token_async (self->store, link, cancellable, check_token_cb, check);
}

gboolean
ofl_links_check_finish (OflLinks      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Checking every link */

typedef struct {
  GPtrArray *outcomes;
  guint      pending;
} CheckAll;

static void
check_all_free (CheckAll *all)
{
  g_clear_pointer (&all->outcomes, g_ptr_array_unref);
  g_free (all);
}

typedef struct {
  GTask           *task;
  OflCheckOutcome *outcome;
} CheckAllItem;

static void
check_all_done (GTask *task)
{
  CheckAll *all = g_task_get_task_data (task);
  gboolean cancelled = FALSE;

  /* Said once per run, to whoever shows links (not when it was cut short). */
  for (guint i = 0; i < all->outcomes->len; i++)
    cancelled |= g_error_matches (((OflCheckOutcome *) g_ptr_array_index (all->outcomes, i))->error,
                                  G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (!cancelled && all->outcomes->len > 0)
    g_signal_emit (g_task_get_source_object (task), signals[CHECKED_ALL], 0, all->outcomes);

  g_task_return_pointer (task, g_steal_pointer (&all->outcomes), (GDestroyNotify) g_ptr_array_unref);
}

static void
check_all_item_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CheckAllItem *item = user_data;
  g_autoptr(GTask) task = item->task;
  CheckAll *all = g_task_get_task_data (task);

  ofl_links_check_finish (OFL_LINKS (object), result, &item->outcome->error);
  g_free (item);

  if (--all->pending == 0)
    check_all_done (task);
}

static void
check_all_start (GTask *task)
{
  OflLinks *self = g_task_get_source_object (task);
  CheckAll *all = g_task_get_task_data (task);
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = g_list_model_get_n_items (model);

  if (n == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&all->outcomes), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* Counted first: a check may end before the next one starts. */
  all->pending = n;
  for (guint i = 0; i < n; i++)
    {
      CheckAllItem *item = g_new0 (CheckAllItem, 1);

      item->task = g_object_ref (task);
      item->outcome = g_new0 (OflCheckOutcome, 1);
      item->outcome->link = g_list_model_get_item (model, i);
      g_ptr_array_add (all->outcomes, item->outcome);
      ofl_links_check_async (self, item->outcome->link, g_task_get_cancellable (task),
                             check_all_item_cb, item);
    }
}

static void
check_all_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ofl_links_load_finish (OFL_LINKS (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  check_all_start (task);
}

void
ofl_links_check_all_async (OflLinks            *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckAll *all;

  g_return_if_fail (OFL_IS_LINKS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_check_all_async);
  g_task_set_check_cancellable (task, FALSE);
  all = g_new0 (CheckAll, 1);
  all->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) check_outcome_free);
  g_task_set_task_data (task, all, (GDestroyNotify) check_all_free);

  if (!self->loaded)
    {
      ofl_links_load_async (self, cancellable, check_all_loaded_cb, g_steal_pointer (&task));
      return;
    }

  check_all_start (task);
}

GPtrArray *
ofl_links_check_all_finish (OflLinks      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Unlinking */

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflLinks *self = g_task_get_source_object (task);
  OflLink *link = g_task_get_task_data (task);
  GError *error = NULL;

  /* Without its token in the keyring, the link is gone all the same. */
  if (ofl_store_remove_finish (OFL_STORE (object), result, &error) ||
      g_error_matches (error, OFL_ERROR, OFL_ERROR_NO_SUCH_LINK))
    {
      model_remove (self, link);
      g_signal_emit (self, signals[UNLINKED], 0, link);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ofl_links_unlink_async (OflLinks            *self,
                        OflLink             *link,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_LINKS (self));
  g_return_if_fail (OFL_IS_LINK (link));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_unlink_async);
  g_task_set_task_data (task, g_object_ref (link), g_object_unref);
  ofl_store_remove_async (self->store, link, cancellable, removed_cb, g_steal_pointer (&task));
}

gboolean
ofl_links_unlink_finish (OflLinks      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The token */

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(OflSecret) stored = NULL;
  GError *error = NULL;
  OflSecret *token;

  stored = ofl_store_lookup_token_finish (OFL_STORE (object), result, &error);
  token = stored ? usable_token (stored, &error) : NULL;
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) ofl_secret_free);
}

void
ofl_links_lookup_token_async (OflLinks            *self,
                              OflLink             *link,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_LINKS (self));
  g_return_if_fail (OFL_IS_LINK (link));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_links_lookup_token_async);
  ofl_store_lookup_token_async (self->store, link, cancellable, token_cb, g_steal_pointer (&task));
}

OflSecret *
ofl_links_lookup_token_finish (OflLinks      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The object */

GPtrArray *
ofl_links_find (OflLinks   *self,
                const char *email,
                const char *account_id_or_null)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = g_list_model_get_n_items (model);

  g_return_val_if_fail (OFL_IS_LINKS (self), found);

  /* The same email in two accounts: the one that needs attention first. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(OflLink) link = g_list_model_get_item (model, i);
        gboolean attention = ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION;

        if (attention == (pass == 0) && ofl_link_matches (link, email, account_id_or_null))
          g_ptr_array_add (found, g_steal_pointer (&link));
      }

  return found;
}

OflStore *
ofl_links_get_store (OflLinks *self)
{
  g_return_val_if_fail (OFL_IS_LINKS (self), NULL);

  return self->store;
}

GListModel *
ofl_links_get_model (OflLinks *self)
{
  g_return_val_if_fail (OFL_IS_LINKS (self), NULL);

  return G_LIST_MODEL (self->model);
}

static void
ofl_links_finalize (GObject *object)
{
  OflLinks *self = OFL_LINKS (object);

  g_clear_object (&self->store);
  g_clear_object (&self->model);
  g_clear_pointer (&self->running_checks, g_hash_table_unref);

  G_OBJECT_CLASS (ofl_links_parent_class)->finalize (object);
}

static void
ofl_links_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  OflLinks *self = OFL_LINKS (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_links_class_init (OflLinksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ofl_links_finalize;
  object_class->get_property = ofl_links_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHECKED] =
    g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OFL_TYPE_LINK, G_TYPE_ERROR);
  signals[CHECKED_ALL] =
    g_signal_new ("checked-all", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  signals[LINKED] =
    g_signal_new ("linked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OFL_TYPE_LINK, OFL_TYPE_LINK);
  signals[UNLINKED] =
    g_signal_new ("unlinked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OFL_TYPE_LINK);
}

static void
ofl_links_init (OflLinks *self)
{
  self->model = g_list_store_new (OFL_TYPE_LINK);
  self->running_checks = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
}

OflLinks *
ofl_links_new (OflStore *store)
{
  OflLinks *self = g_object_new (OFL_TYPE_LINKS, NULL);

  self->store = store ? g_object_ref (store) : ofl_store_new ();
  return self;
}
