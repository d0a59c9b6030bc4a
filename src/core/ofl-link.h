/* ofl-link.h: one stored link between this desktop and a Oneflow user */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ofl-enums.h"
#include "ofl-verifier.h"

G_BEGIN_DECLS

typedef enum {
  OFL_LINK_STATUS_UNCHECKED,
  OFL_LINK_STATUS_OK,
  OFL_LINK_STATUS_NEEDS_ATTENTION,
} OflLinkStatus;

/* "ok", "needs-attention", "unchecked" (as in --json) */
const char *ofl_link_status_to_nick (OflLinkStatus status);

#define OFL_TYPE_LINK (ofl_link_get_type ())
G_DECLARE_FINAL_TYPE (OflLink, ofl_link, OFL, LINK, GObject)

/* Properties (all readable, notify only on change):
 *   email, account-id, api-url           identity (the keyring attributes)
 *   account-name, user-name              details
 *   status (OflLinkStatus), problem (the OflErrorCode nick, or NULL)
 *   last-checked, last-ok (GDateTime, or NULL)
 *   busy (a check is running; for the UI)
 *   workspaces (GPtrArray of OflWorkspace*; also ofl_link_get_workspaces())
 * Only the details and status change after construction; the identity
 * is construct-only. */

OflLink       *ofl_link_new                (const char      *email,
                                            const char      *account_id,
                                            const char      *api_url);
/* The link a successful verification describes, recorded as a check
 * made now: status ok, details filled in, last-checked = last-ok = now. */
OflLink       *ofl_link_new_from_verification (OflVerification *verification,
                                               const char      *api_url);

const char    *ofl_link_get_email          (OflLink         *self);
const char    *ofl_link_get_account_id     (OflLink         *self);
const char    *ofl_link_get_api_url        (OflLink         *self);
const char    *ofl_link_get_account_name   (OflLink         *self);
void           ofl_link_set_account_name   (OflLink         *self,
                                            const char      *name);
const char    *ofl_link_get_user_name      (OflLink         *self);
void           ofl_link_set_user_name      (OflLink         *self,
                                            const char      *name);
/* OflWorkspace* elements; never NULL. */
GPtrArray     *ofl_link_get_workspaces     (OflLink         *self);
void           ofl_link_set_workspaces     (OflLink         *self,
                                            GPtrArray       *workspaces);
OflLinkStatus  ofl_link_get_status         (OflLink         *self);
const char    *ofl_link_get_problem        (OflLink         *self);
GDateTime     *ofl_link_get_last_checked   (OflLink         *self);
GDateTime     *ofl_link_get_last_ok        (OflLink         *self);
gboolean       ofl_link_get_busy           (OflLink         *self);
void           ofl_link_set_busy           (OflLink         *self,
                                            gboolean         busy);

/* Records the outcome of a check made now. A rejected error
 * (OFL_ERROR_KIND_REJECTED, or malformed input) makes the link need
 * attention with the error's nick as problem; a temporary or security
 * error keeps the last verdict and sets last-checked (and, unless the
 * link already needs attention, problem to its nick); success makes it
 * ok, clears problem, refreshes the details and sets last-checked and
 * last-ok. A verification of another account than this link's needs
 * attention ("other-account"). Cancelling records nothing. */
void           ofl_link_record_check       (OflLink         *self,
                                            OflVerification *verification_or_null,
                                            const GError    *error_or_null);

/* Same email (case-insensitive), account and API URL. */
int            ofl_link_compare            (gconstpointer    a,
                                            gconstpointer    b,
                                            gpointer         user_data);
gboolean       ofl_link_same_identity      (OflLink         *self,
                                            OflLink         *other);
/* Same email (case-insensitive) and, unless NULL, the same account. */
gboolean       ofl_link_matches            (OflLink         *self,
                                            const char      *email,
                                            const char      *account_id_or_null);

/* The details as stored in links.json: identity, account and user name,
 * workspaces with permissions, status, problem, last-checked, last-ok.
 * Never a secret. */
JsonNode      *ofl_link_to_json            (OflLink         *self);
/* Applies the details of ofl_link_to_json() (not the identity). Ignores
 * members that are missing or of the wrong type; never fails. */
void           ofl_link_apply_json         (OflLink         *self,
                                            JsonObject      *object);
/* The public form printed by `oneflow-link --list --json`: email,
 * account_id, account_name, user_name, api_url, status, last_checked,
 * problem, workspaces [{id, name}]. Never a secret. */
JsonNode      *ofl_link_to_public_json     (OflLink         *self);

G_END_DECLS
