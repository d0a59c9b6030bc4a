/* ofl-keyring-guard.c: keyring calls that cannot wait forever
 *
 * The guard's inner cancellable, given to every keyring call of an
 * operation, is cancelled by the caller's cancellable or by a time-out.
 *
 * Cancelling is not always enough. libsecret 0.20 answers a cancelled
 * prompt by asking the service to dismiss it and then waits for the
 * prompt's Completed signal, which a service stuck behind its own
 * unlock dialog never sends. So a call that can prompt is a step: once
 * the guard has fired, libsecret gets a short grace to answer; after
 * that the step fails on its own and libsecret's answer, should it ever
 * come, is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ofl-error.h"
#include "ofl-keyring-guard.h"

struct _OflKeyringStep {
  OflKeyringGuard      *guard;     /* valid while @task is set */
  GTask                *task;      /* NULL once given up */
  GAsyncReadyCallback   callback;
  OflKeyringStepFailed  failed;
};

GError *
ofl_keyring_error_new (OflKeyringOperation operation)
{
  const char *what = NULL;
  g_autofree char *advice = NULL;

  switch (operation)
    {
    case OFL_KEYRING_SAVE:
      what = _("Could not reach the keyring, so the link was not saved.");
      break;
    case OFL_KEYRING_LOOKUP:
      what = _("Could not reach the keyring, so the saved token could not be read.");
      break;
    case OFL_KEYRING_LIST:
      what = _("Could not reach the keyring, where Oneflow Link keeps the tokens of your links.");
      break;
    case OFL_KEYRING_REMOVE:
      what = _("Could not reach the keyring, so the link was not removed.");
      break;
    case OFL_KEYRING_UPDATE:
      what = _("Could not reach the keyring, so the result of the check was not saved.");
      break;
    case OFL_KEYRING_SAVE_UNKNOWN:
      what = _("The keyring stopped answering while the link was being saved, so it may or may "
               "not have been saved; linking again replaces it either way.");
      break;
    default:
      g_assert_not_reached ();
    }

  /* Translators: %s is a command for administrators; keep it as is */
  advice = g_strdup_printf (_("Make sure you are logged in to the desktop and your keyring "
                              "(“Passwords and Keys”) is unlocked, then try again. If this app "
                              "runs as a Flatpak on a system without the Secret portal, an "
                              "administrator can allow keyring access with “%s”."),
                            "flatpak override --talk-name=org.freedesktop.secrets " BASE_APP_ID);

  return g_error_new (OFL_ERROR, OFL_ERROR_KEYRING, "%s %s", what, advice);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static GSource *
attach_source (OflKeyringGuard *guard,
               GSource         *source,
               const char      *name,
               GSourceFunc      func)
{
  g_source_set_name (source, name);
  g_source_set_callback (source, func, guard, NULL);
  g_source_attach (source, guard->context);

  return source;
}

static gboolean
on_grace_over (gpointer user_data)
{
  OflKeyringGuard *guard = user_data;
  OflKeyringStep *step = g_steal_pointer (&guard->pending);

  g_clear_pointer (&guard->grace, g_source_unref);

  if (step != NULL)
    {
      g_debug ("The keyring did not answer after being cancelled; giving up on it");
      /* The step itself stays for libsecret, which may still call back. */
      step->failed (g_steal_pointer (&step->task), NULL);
    }

  return G_SOURCE_REMOVE;
}

static void
start_grace (OflKeyringGuard *guard)
{
  if (guard->grace != NULL || guard->pending == NULL)
    return;

  guard->grace = attach_source (guard, g_timeout_source_new (OFL_KEYRING_GRACE_MS),
                                "[oneflow-link] keyring grace", on_grace_over);
}

/* Both run on the guard's own thread, the one whose context it was made
 * in: the time-out and the cancellation are sources of that context. */
static void
fire (OflKeyringGuard *guard)
{
  guard->fired = TRUE;
  g_cancellable_cancel (guard->inner);
  start_grace (guard);
}

static gboolean
on_timeout (gpointer user_data)
{
  OflKeyringGuard *guard = user_data;

  g_debug ("Keyring call timed out");
  guard->timed_out = TRUE;
  g_clear_pointer (&guard->timeout, g_source_unref);
  fire (guard);

  return G_SOURCE_REMOVE;
}

static gboolean
on_outer_cancelled (GCancellable *outer,
                    gpointer      user_data)
{
  OflKeyringGuard *guard = user_data;

  g_clear_pointer (&guard->outer_cancelled, g_source_unref);
  fire (guard);

  return G_SOURCE_REMOVE;
}

static void
start_timeout (OflKeyringGuard *guard)
{
  destroy_source (&guard->timeout);
  guard->timeout = attach_source (guard, g_timeout_source_new_seconds (guard->timeout_seconds),
                                  "[oneflow-link] keyring timeout", on_timeout);
}

OflKeyringGuard *
ofl_keyring_guard_new (OflKeyringOperation  operation,
                       GCancellable        *outer,
                       guint                timeout_seconds)
{
  OflKeyringGuard *guard = g_new0 (OflKeyringGuard, 1);

  guard->operation = operation;
  guard->inner = g_cancellable_new ();
  guard->context = g_main_context_ref_thread_default ();

  /* A source, not a handler: whoever cancels, the guard fires on its
   * own thread (the list runs on a worker's). */
  if (outer != NULL)
    {
      guard->outer = g_object_ref (outer);
      guard->outer_cancelled = attach_source (guard, g_cancellable_source_new (outer),
                                              "[oneflow-link] keyring cancelled",
                                              G_SOURCE_FUNC (on_outer_cancelled));
    }

  guard->timeout_seconds = timeout_seconds;
  start_timeout (guard);

  return guard;
}

gboolean
ofl_keyring_guard_is_cancelled (OflKeyringGuard *guard)
{
  return guard->outer != NULL && g_cancellable_is_cancelled (guard->outer);
}

/* Gives the keyring its whole time-out again, after a wait that was not
 * the keyring's (the details lock). A guard the caller cancelled stays
 * cancelled. */
void
ofl_keyring_guard_restart (OflKeyringGuard *guard)
{
  g_assert (guard->pending == NULL);

  if (ofl_keyring_guard_is_cancelled (guard))
    return;

  if (guard->fired)
    {
      g_clear_object (&guard->inner);
      guard->inner = g_cancellable_new ();
      guard->fired = guard->timed_out = FALSE;
    }

  start_timeout (guard);
}

void
ofl_keyring_guard_free (OflKeyringGuard *guard)
{
  /* A pending step holds the task, and the task holds the guard. */
  g_assert (guard->pending == NULL);

  destroy_source (&guard->timeout);
  destroy_source (&guard->grace);
  destroy_source (&guard->outer_cancelled);
  g_clear_object (&guard->outer);
  g_clear_object (&guard->inner);
  g_clear_pointer (&guard->context, g_main_context_unref);
  g_free (guard);
}

/* The callback of every libsecret call made through a step. */
void
ofl_keyring_step_answered (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  OflKeyringStep *step = user_data;
  GTask *task = g_steal_pointer (&step->task);

  if (task != NULL)
    {
      step->guard->pending = NULL;
      destroy_source (&step->guard->grace);
      step->callback (object, result, task);
    }
  else
    g_debug ("Dropped the keyring's late answer");

  g_free (step);
}

/* Starts a step that owns @task: pass its result as the libsecret
 * call's user data with ofl_keyring_step_answered() as its callback.
 * @callback then gets libsecret's answer and @task, as usual. */
OflKeyringStep *
ofl_keyring_step_new (OflKeyringGuard      *guard,
                      GTask                *task,
                      GAsyncReadyCallback   callback,
                      OflKeyringStepFailed  failed)
{
  OflKeyringStep *step = g_new0 (OflKeyringStep, 1);

  g_assert (guard->pending == NULL);

  step->guard = guard;
  step->task = task;
  step->callback = callback;
  step->failed = failed;
  guard->pending = step;

  if (guard->fired)
    start_grace (guard);

  return step;
}

/* Turns whatever libsecret said into the one error people see: the
 * caller's cancelling is G_IO_ERROR_CANCELLED, as anywhere in GIO, and
 * anything else OFL_ERROR_KEYRING. Takes @error, which may be NULL:
 * libsecret reports some dismissed prompts as a failure without an
 * error. */
GError *
ofl_keyring_guard_convert (OflKeyringGuard *guard,
                           GError          *error)
{
  g_autoptr(GError) owned = error;

  if (ofl_keyring_guard_is_cancelled (guard))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The keyring operation was cancelled."));

  /* Also a dismissed unlock prompt, which libsecret reports as
   * cancelled, and a time-out. Never a secret in these messages. */
  if (owned != NULL)
    g_debug ("Keyring error%s: %s %d: %s",
             guard->timed_out ? " (timed out)" : "",
             g_quark_to_string (owned->domain), owned->code, owned->message);
  else
    g_debug ("Keyring call failed without an error (a dismissed prompt?)");

  return ofl_keyring_error_new (guard->operation);
}

/* Whether a failed store call may still have stored the token: the
 * daemon died with the call on its way (and maybe done), as opposed to
 * a keyring that was never there, said no, or never answered (a
 * time-out: a hung daemon or a prompt no one answers stores nothing
 * while it hangs). */
gboolean
ofl_keyring_guard_outcome_unknown (OflKeyringGuard *guard,
                                   const GError    *error)
{
  if (guard->timed_out || ofl_keyring_guard_is_cancelled (guard))
    return FALSE;

  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}
