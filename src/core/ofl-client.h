/* ofl-client.h: an async libsoup 3 client for the Oneflow API */
#pragma once

#include <gio/gio.h>

#include "ofl-api-types.h"

G_BEGIN_DECLS

#define OFL_TYPE_CLIENT (ofl_client_get_type ())
G_DECLARE_FINAL_TYPE (OflClient, ofl_client, OFL, CLIENT, GObject)

/* Responses larger than this are refused as unexpected. */
#define OFL_CLIENT_MAX_RESPONSE_SIZE (2 * 1024 * 1024)
#define OFL_CLIENT_PAGE_LIMIT 100

/* Refuses (OFL_ERROR_INSECURE_URL) anything but https://, or http:// to a
 * loopback address. @timeout_seconds (at least 1) bounds each request's
 * I/O; a verification on this client ends within
 * OFL_VERIFIER_DEADLINE_FACTOR times it. */
OflClient    *ofl_client_new                (const char           *base_url,
                                             guint                 timeout_seconds,
                                             GError              **error);
/* The client from configuration: ofl_config_get_api_url() and the
 * request-timeout setting. */
OflClient    *ofl_client_new_default        (GError              **error);

const char   *ofl_client_get_base_url       (OflClient            *self);
/* The time-out of each request's I/O, in seconds. */
guint         ofl_client_get_timeout        (OflClient            *self);

void          ofl_client_ping_async         (OflClient            *self,
                                             const char           *token,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      ofl_client_ping_finish        (OflClient            *self,
                                             GAsyncResult         *result,
                                             GError              **error);

void          ofl_client_get_account_async  (OflClient            *self,
                                             const char           *token,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
OflAccount   *ofl_client_get_account_finish (OflClient            *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* One page of GET /v1/users (items are OflUser*). */
void          ofl_client_get_users_async    (OflClient            *self,
                                             const char           *token,
                                             guint                 offset,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
OflPage      *ofl_client_get_users_finish   (OflClient            *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* One page of GET /v1/workspaces as @email (items are OflWorkspace*).
 * A 4xx here means this user cannot be used: OFL_ERROR_UNKNOWN_USER with
 * Oneflow's detail. */
void          ofl_client_get_workspaces_async  (OflClient         *self,
                                                const char        *token,
                                                const char        *email,
                                                guint              offset,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
OflPage      *ofl_client_get_workspaces_finish (OflClient         *self,
                                                GAsyncResult      *result,
                                                GError           **error);

G_END_DECLS
