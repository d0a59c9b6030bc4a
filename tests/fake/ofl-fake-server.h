/* ofl-fake-server.h: a fake Oneflow API on 127.0.0.1 for tests, the
 * benchmark and offline trials. It follows ../shared/ONEFLOW-API.md and
 * can be told to misbehave. It serves from the thread-default main
 * context of the thread that created it. */
#pragma once

/* Besides the API under /v1, the server answers control requests under
 * /_fake/, so that tests in other processes can steer it (parameters in
 * the query or as a form body; answers {} or a 400 problem):
 *   POST /_fake/revoke?token=T
 *   POST /_fake/token?account=ID&token=T
 *   POST /_fake/user?email=E&active=true|false[&account=ID][&name=N]
 *        (a known email changes in every account; a new one is added,
 *        to Acme unless account is given)
 *   POST /_fake/remove-user?account=ID&email=E
 *   POST /_fake/rename?account=ID&name=N  (or workspace=ID&name=N)
 *        the name the API gives from now on, as it is (controls too)
 *   POST /_fake/problem?detail=D&request_id=R   (either or both)
 *        the detail and request_id of every problem body from now on
 *        (an empty value: the server's own again)
 *   POST /_fake/fillers?account=ID&n=N
 *   POST /_fake/fault?endpoint=E&fault=F[&times=N]   (names as below)
 *   POST /_fake/latency?endpoint=E&ms=N
 *   POST /_fake/retry-after?value=V
 *   POST /_fake/reset            faults, latency and Retry-After
 *   POST /_fake/clear-requests
 *   GET  /_fake/requests         the log as a JSON array, never tokens
 * They are not logged as requests. */

#include <gio/gio.h>

G_BEGIN_DECLS

/* The built-in fixture. Tokens are 40 characters of [A-Za-z0-9-]. */
#define OFL_FAKE_TOKEN_ACME      "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"
#define OFL_FAKE_TOKEN_ACME_NEW  "acme9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e"
#define OFL_FAKE_TOKEN_BETA      "beta0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1"
#define OFL_FAKE_ACCOUNT_ACME_ID "1001"
#define OFL_FAKE_ACCOUNT_ACME    "Acme AB"
#define OFL_FAKE_ACCOUNT_BETA_ID "2002"
#define OFL_FAKE_ACCOUNT_BETA    "Beta Oy"
/* Acme AB: anna (active admin), bert (deactivated), carl (active);
 * Beta Oy: anna too (the same email in a second account), and dora. */
#define OFL_FAKE_EMAIL_ANNA      "anna@example.com"
#define OFL_FAKE_EMAIL_BERT      "bert@example.com"
#define OFL_FAKE_EMAIL_CARL      "carl@example.com"
#define OFL_FAKE_EMAIL_DORA      "dora@example.com"
/* User ids are numbers in order of creation: Acme anna 1, bert 2, carl 3;
 * Beta anna 4, dora 5; added and filler users go on from there.
 * Workspaces: Acme has Sales (301), Legal (302) and HR (303), Beta has
 * Helsinki (401). In _permissions ("contract:create", "contract:read",
 * "contract:update", "contract:delete", "template:use"), admins (Acme
 * anna, Beta dora) have everything everywhere; carl reaches Sales only and
 * may only read; everyone else reaches every workspace with all but
 * contract:delete. /workspaces without x-oneflow-user-email answers as an
 * anonymous admin (documented); with an unknown or inactive email, 403. */

typedef enum {
  OFL_FAKE_ENDPOINT_ANY,
  OFL_FAKE_ENDPOINT_PING,
  OFL_FAKE_ENDPOINT_ACCOUNT,
  OFL_FAKE_ENDPOINT_USERS,
  OFL_FAKE_ENDPOINT_WORKSPACES,
  OFL_FAKE_N_ENDPOINTS
} OflFakeEndpoint;

typedef enum {
  OFL_FAKE_FAULT_NONE,
  OFL_FAKE_FAULT_401,
  OFL_FAKE_FAULT_403,
  OFL_FAKE_FAULT_404,
  OFL_FAKE_FAULT_429,              /* no Retry-After header */
  OFL_FAKE_FAULT_429_RETRY_AFTER,  /* Retry-After: see set_retry_after() */
  OFL_FAKE_FAULT_500,
  OFL_FAKE_FAULT_503,
  OFL_FAKE_FAULT_HTML,             /* 200 with a CDN-style HTML page */
  OFL_FAKE_FAULT_INVALID_JSON,
  OFL_FAKE_FAULT_TRUNCATED_JSON,
  OFL_FAKE_FAULT_HUGE_JSON,        /* 10 MB of valid JSON */
  OFL_FAKE_FAULT_ARRAY,            /* a JSON array where an object belongs */
  OFL_FAKE_FAULT_WRONG_TYPES,      /* valid JSON, fields of the wrong types */
  OFL_FAKE_FAULT_HANG,             /* accepts and never answers */
  OFL_FAKE_FAULT_CLOSE_MID_BODY,   /* Content-Length promised, then closed */
  OFL_FAKE_FAULT_REDIRECT_HTTP,    /* 302 to http:// on another port */
  OFL_FAKE_FAULT_REDIRECT_HOST,    /* 302 to https://another host */
  /* A hostile server (issue 18). */
  OFL_FAKE_FAULT_DRIP,             /* the answer, one byte a second */
  OFL_FAKE_FAULT_OVERSIZED_PAGE,   /* users, workspaces: 5,000 items a page
                                    * whatever limit asks, count 755,000 */
  OFL_FAKE_FAULT_MANY_PAGES,       /* users, workspaces: limit kept, but
                                    * count 755,000, made-up items past
                                    * the real ones */
  OFL_FAKE_FAULT_DEEP_JSON,        /* 200: a comment, then 300,000 nested
                                    * arrays as data */
  OFL_FAKE_FAULT_DEEP_OBJECT,      /* 200: an object 200,000 deep */
  OFL_FAKE_FAULT_DEEP_ERROR,       /* 500 whose body is DEEP_JSON's */
  OFL_FAKE_FAULT_HUGE_ID,          /* the first "id" is 18446744073709551615 */
  OFL_FAKE_FAULT_REDIRECT_LOOP,    /* 302 to the same address, always */
  OFL_FAKE_FAULT_NOT_MODIFIED,     /* 304 without Location */
  OFL_FAKE_N_FAULTS
} OflFakeFault;

/* One request the server served. */
typedef struct {
  OflFakeEndpoint  endpoint;
  char            *method;
  char            *path;
  char            *query;         /* NULL if none */
  gboolean         has_token;     /* the token itself is never kept */
  gboolean         token_valid;
  char            *user_email;    /* x-oneflow-user-email, or NULL */
  char            *user_agent;
  guint            status;
  gint64           started_us;    /* g_get_monotonic_time() */
  gint64           finished_us;   /* 0 while still running */
} OflFakeRequest;

#define OFL_TYPE_FAKE_SERVER (ofl_fake_server_get_type ())
G_DECLARE_FINAL_TYPE (OflFakeServer, ofl_fake_server, OFL, FAKE_SERVER, GObject)

/* Listens on 127.0.0.1 on a free port. With @tls, serves HTTPS with the
 * self-signed certificate checked in as tests/fake/fake-server-cert.pem
 * (CN localhost, subjectAltName IP:127.0.0.1 and DNS:localhost, valid
 * 2020-2120); see ofl_fake_server_get_certificate_path(). */
OflFakeServer   *ofl_fake_server_new              (gboolean          tls,
                                                   GError          **error);
/* "http://127.0.0.1:PORT/v1" or "https://127.0.0.1:PORT/v1" */
const char      *ofl_fake_server_get_url          (OflFakeServer    *self);
guint            ofl_fake_server_get_port         (OflFakeServer    *self);
/* The server's certificate in TLS mode, for a test's GTlsDatabase. */
GTlsCertificate *ofl_fake_server_get_certificate  (OflFakeServer    *self);

typedef enum {
  OFL_FAKE_TLS_NONE,
  OFL_FAKE_TLS_SELF_SIGNED,  /* fake-server-cert.pem */
  OFL_FAKE_TLS_EXPIRED,      /* fake-server-expired-cert.pem, expired 2021 */
} OflFakeTls;

/* As ofl_fake_server_new(), on @port (0: any free port). */
OflFakeServer   *ofl_fake_server_new_full         (OflFakeTls        tls,
                                                   guint             port,
                                                   GError          **error);
/* HTTPS with a certificate that expired in 2021 (same names, same key). */
OflFakeServer   *ofl_fake_server_new_with_expired_certificate (GError **error);
/* The PEM file of the certificate in use (NULL without TLS): e.g. for
 * g_tls_file_database_new(). */
const char      *ofl_fake_server_get_certificate_path (OflFakeServer *self);
/* A plain-http port of the same server: where REDIRECT_HTTP points. */
guint            ofl_fake_server_get_redirect_port (OflFakeServer   *self);

/* Fixture changes. */
void             ofl_fake_server_add_user         (OflFakeServer    *self,
                                                   const char       *account_id,
                                                   const char       *email,
                                                   const char       *name,
                                                   gboolean          active);
/* Adds @n generated active users (filler0001@…) to an account. */
void             ofl_fake_server_add_filler_users (OflFakeServer    *self,
                                                   const char       *account_id,
                                                   guint             n);
void             ofl_fake_server_set_user_active  (OflFakeServer    *self,
                                                   const char       *email,
                                                   gboolean          active);
void             ofl_fake_server_remove_user      (OflFakeServer    *self,
                                                   const char       *account_id,
                                                   const char       *email);
void             ofl_fake_server_revoke_token     (OflFakeServer    *self,
                                                   const char       *token);
/* Adds a valid token for an account (e.g. a replacement token). */
void             ofl_fake_server_add_token        (OflFakeServer    *self,
                                                   const char       *account_id,
                                                   const char       *token);

/* Misbehaviour. @times is how many requests get the fault (0 = all,
 * until reset). An endpoint's own fault wins over ANY's; once it is used
 * up, ANY's applies again. */
void             ofl_fake_server_set_fault        (OflFakeServer    *self,
                                                   OflFakeEndpoint   endpoint,
                                                   OflFakeFault      fault,
                                                   guint             times);
void             ofl_fake_server_set_retry_after  (OflFakeServer    *self,
                                                   const char       *value);
/* Delay before each response on @endpoint (ANY: all). An endpoint's own
 * latency, if not 0, wins over ANY's. */
void             ofl_fake_server_set_latency      (OflFakeServer    *self,
                                                   OflFakeEndpoint   endpoint,
                                                   guint             milliseconds);
/* Clears faults and latency (not the fixture). */
void             ofl_fake_server_reset_faults     (OflFakeServer    *self);

/* The requests served so far, oldest first (element type OflFakeRequest).
 * Returns a new array: free it with g_ptr_array_unref(). The entries stay
 * valid while it is held, and those still in flight keep being updated. */
GPtrArray       *ofl_fake_server_get_requests     (OflFakeServer    *self);
guint            ofl_fake_server_count_requests   (OflFakeServer    *self,
                                                   OflFakeEndpoint   endpoint);
/* Requests still open (e.g. hanging ones). A paused request whose client
 * hangs up counts as finished, with status 0. */
guint            ofl_fake_server_count_in_flight  (OflFakeServer    *self);
void             ofl_fake_server_clear_requests   (OflFakeServer    *self);

const char      *ofl_fake_endpoint_to_string      (OflFakeEndpoint   endpoint);
gboolean         ofl_fake_endpoint_from_string    (const char       *name,
                                                   OflFakeEndpoint  *endpoint);
const char      *ofl_fake_fault_to_string         (OflFakeFault      fault);
gboolean         ofl_fake_fault_from_string       (const char       *name,
                                                   OflFakeFault     *fault);

G_END_DECLS
