/* ofl-keyring-guard.h: keyring calls that cannot wait forever
 *
 * Internal to the store (ofl-store*.c): a guard bounds one operation's
 * keyring calls with a time-out and the caller's cancellable, and turns
 * whatever libsecret said into the one error people see.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long libsecret gets to answer once the guard has fired. */
#define OFL_KEYRING_GRACE_MS 2000

typedef enum {
  OFL_KEYRING_SAVE,
  OFL_KEYRING_LOOKUP,
  OFL_KEYRING_LIST,
  OFL_KEYRING_REMOVE,
  OFL_KEYRING_UPDATE,
  /* Not an operation, a message: the keyring died with the store call
   * on its way, so whether it stored the token is not known. */
  OFL_KEYRING_SAVE_UNKNOWN,
} OflKeyringOperation;

typedef struct _OflKeyringStep OflKeyringStep;

/* Read by the store; written only by ofl-keyring-guard.c. */
typedef struct {
  OflKeyringOperation  operation;
  /* What every keyring call of the operation is given. */
  GCancellable        *inner;
  /* The caller's, or NULL. */
  GCancellable        *outer;
  /* The thread-default context the guard was made in. */
  GMainContext        *context;
  GSource             *outer_cancelled;
  GSource             *timeout;
  GSource             *grace;
  guint                timeout_seconds;
  gboolean             timed_out;
  gboolean             fired;
  OflKeyringStep      *pending;
} OflKeyringGuard;

/* How a step fails when libsecret does not answer: takes the task and
 * @error (NULL: nothing came back). */
typedef void (*OflKeyringStepFailed) (GTask  *task,
                                      GError *error);

GError          *ofl_keyring_error_new          (OflKeyringOperation  operation);

OflKeyringGuard *ofl_keyring_guard_new          (OflKeyringOperation  operation,
                                                 GCancellable        *outer,
                                                 guint                timeout_seconds);
void             ofl_keyring_guard_free         (OflKeyringGuard     *guard);
void             ofl_keyring_guard_restart      (OflKeyringGuard     *guard);
gboolean         ofl_keyring_guard_is_cancelled (OflKeyringGuard     *guard);
GError          *ofl_keyring_guard_convert      (OflKeyringGuard     *guard,
                                                 GError              *error);
gboolean         ofl_keyring_guard_outcome_unknown (OflKeyringGuard  *guard,
                                                    const GError     *error);

OflKeyringStep  *ofl_keyring_step_new           (OflKeyringGuard     *guard,
                                                 GTask               *task,
                                                 GAsyncReadyCallback  callback,
                                                 OflKeyringStepFailed failed);
void             ofl_keyring_step_answered      (GObject             *object,
                                                 GAsyncResult        *result,
                                                 gpointer             user_data);

G_END_DECLS
