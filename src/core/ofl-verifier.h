/* ofl-verifier.h: checks a token and a user email against Oneflow, in
 * as few round trips as the API allows */
#pragma once

#include <gio/gio.h>

#include "ofl-api-types.h"
#include "ofl-client.h"

G_BEGIN_DECLS

/* The checks, in the order a person reads them. They run in parallel. */
typedef enum {
  OFL_VERIFY_STEP_TOKEN,       /* GET /ping: the token is accepted */
  OFL_VERIFY_STEP_ACCOUNT,     /* GET /accounts/me: which account */
  OFL_VERIFY_STEP_USER,        /* GET /users (all pages): found and active */
  OFL_VERIFY_STEP_WORKSPACES,  /* GET /workspaces as the user */
  OFL_VERIFY_N_STEPS
} OflVerifyStep;

/* What a successful verification found. */
typedef struct {
  OflAccount *account;
  OflUser    *user;
  GPtrArray  *workspaces;      /* OflWorkspace*, at most OFL_VERIFIER_MAX_WORKSPACES */
  guint       workspaces_total; /* how many Oneflow lists */
} OflVerification;

/* The most workspaces kept for a link: more than a person can use, and
 * few enough that links.json and --list stay small. Only the pages that
 * hold them are asked for. */
#define OFL_VERIFIER_MAX_WORKSPACES 1000

/* Every verification ends within this many times the client's request
 * time-out (60 s with the default 20 s), however slowly the server
 * answers: each request may wait the whole time-out once, paging adds a
 * second round trip, and a retry a third. */
#define OFL_VERIFIER_DEADLINE_FACTOR 3

void             ofl_verification_free (OflVerification *verification);
/* A sentence to show with the result when a cap was hit (more workspaces
 * than are kept), or NULL. */
char            *ofl_verification_describe_limits (const OflVerification *verification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OflVerification, ofl_verification_free)

#define OFL_TYPE_VERIFIER (ofl_verifier_get_type ())
G_DECLARE_FINAL_TYPE (OflVerifier, ofl_verifier, OFL, VERIFIER, GObject)

OflVerifier     *ofl_verifier_new           (OflClient            *client);
OflClient       *ofl_verifier_get_client    (OflVerifier          *self);
/* The overall deadline of one verification, in seconds. */
guint            ofl_verifier_get_deadline  (OflVerifier          *self);

/* Normalises @token and @email first (OFL_ERROR_MALFORMED_* before any
 * request), then runs the plan. Emits ::step-finished as each check
 * returns. Cancelling stops every request at once; so does the deadline,
 * with OFL_ERROR_TIMED_OUT. The verifier keeps
 * its own wiped copy of the token only while it runs. One verification
 * at a time per verifier. */
void             ofl_verifier_verify_async  (OflVerifier          *self,
                                             const char           *token,
                                             const char           *email,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
OflVerification *ofl_verifier_verify_finish (OflVerifier          *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* Signals:
 *   step-finished (OflVerifyStep step, const GError *error_or_null,
 *                  gpointer detail)
 * where detail is the step's result on success: OflAccount* for ACCOUNT,
 * OflUser* for USER, GPtrArray<OflWorkspace*> for WORKSPACES, NULL for
 * TOKEN. Borrowed for the duration of the emission. */

G_END_DECLS
