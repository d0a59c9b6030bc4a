/* ofl-fake-server.c: a fake Oneflow API, following ../shared/ONEFLOW-API.md.
 *
 * Everything runs in the creator's thread-default main context. Each API
 * request becomes a Pending: it is answered at once, after a delay (the
 * message is paused and a timeout source unpauses it), or never (HANG).
 * Only the validity of a token is kept, never the token itself. */

#include "ofl-fake-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#define LIMIT_MAX    100
#define OFFSET_MAX   19900
#define HUGE_SIZE    (10 * 1024 * 1024)
#define EVIL_ORIGIN  "https://evil.example.net"
/* A hostile server (issue 18). */
#define DRIP_INTERVAL_MS    1000
#define OVERSIZED_ITEMS     5000
#define MANY_COUNT          755000
#define DEEP_ARRAYS         300000
#define DEEP_OBJECTS        200000
#define HUGE_ID             "18446744073709551615"

typedef enum {
  PERM_CONTRACT_CREATE = 1 << 0,
  PERM_CONTRACT_READ   = 1 << 1,
  PERM_CONTRACT_UPDATE = 1 << 2,
  PERM_CONTRACT_DELETE = 1 << 3,
  PERM_TEMPLATE_USE    = 1 << 4,
  PERM_ALL             = (1 << 5) - 1,
  /* What a user added by a test may do: a plain member. */
  PERM_MEMBER          = PERM_CONTRACT_CREATE | PERM_CONTRACT_READ |
                         PERM_CONTRACT_UPDATE | PERM_TEMPLATE_USE,
} Permission;

static const char * const permission_names[] = {
  "contract:create", "contract:read", "contract:update", "contract:delete",
  "template:use",
};

typedef struct {
  gint64      id;
  const char *name;
  const char *description;
} Workspace;

static const Workspace acme_workspaces[] = {
  { 301, "Sales", "Customer contracts" },
  { 302, "Legal", "NDAs and frame agreements" },
  { 303, "HR",    "Employment contracts" },
};

static const Workspace beta_workspaces[] = {
  { 401, "Helsinki", "Everything in Finland" },
};

#define ALL_WORKSPACES G_MAXUINT

typedef struct {
  gint64    id;
  char     *email;          /* in the case it was given */
  char     *name;
  char     *title;
  char     *phone_number;
  gboolean  active;
  gboolean  is_admin;
  guint     workspaces;     /* bit i: may reach the account's workspace i */
  guint     permissions;    /* the same in every workspace it reaches */
} User;

typedef struct {
  gint64           id;
  const char      *id_string;
  const char      *name;
  const char      *country_code;
  const char      *registration_number;
  const char      *filler_domain;
  const Workspace *workspaces;
  guint            n_workspaces;
  GPtrArray       *users;   /* User */
  guint            n_fillers;
} Account;

typedef struct {
  OflFakeFault fault;
  guint        left;        /* 0: until reset */
} FaultSlot;

struct _OflFakeServer {
  GObject          parent_instance;

  GMainContext    *context;
  SoupServer      *server;
  GTlsCertificate *certificate;
  char            *certificate_path;
  GSocketService  *tls_service;    /* HTTPS: the handshakes are ours */
  GCancellable    *tls_cancellable;
  GHashTable      *tls_sockets;    /* client port -> GSocket (weak) */
  char            *url;
  guint            port;
  guint            redirect_port;  /* plain http, for REDIRECT_HTTP */

  Account          accounts[2];
  GHashTable      *tokens;         /* token -> Account* */
  gint64           next_user_id;
  /* What /_fake/rename and /_fake/problem set: "account:ID" and
   * "workspace:ID" -> name; "detail" and "request_id" -> the text of
   * every problem body. */
  GHashTable      *overrides;

  FaultSlot        faults[OFL_FAKE_N_ENDPOINTS];
  guint            latency_ms[OFL_FAKE_N_ENDPOINTS];
  char            *retry_after;
  GBytes          *huge_body;      /* made on first use */

  GPtrArray       *requests;       /* OflFakeRequest, refcounted boxes */
  GList           *pending;        /* Pending */
};

G_DEFINE_FINAL_TYPE (OflFakeServer, ofl_fake_server, G_TYPE_OBJECT)

/* One API request until it is answered (or given up on). */
typedef struct {
  OflFakeServer     *self;
  SoupServerMessage *msg;       /* weak; NULL once finished or stolen */
  GIOStream         *stream;    /* stolen connection (CLOSE_MID_BODY) */
  OflFakeRequest    *req;       /* a reference */
  OflFakeEndpoint    endpoint;
  OflFakeFault       fault;
  Account           *account;   /* the token's account, NULL if none */
  char              *request_id;
  GSource           *timeout;
  GSource           *watch;     /* notices a client that went away */
  GBytes            *cut_reply; /* what CLOSE_MID_BODY writes */
  gsize              dripped;   /* DRIP: bytes of cut_reply written */
} Pending;

/* A reply before it is sent: a JSON body or raw bytes. */
typedef struct {
  guint       status;
  const char *content_type;
  JsonNode   *json;
  GBytes     *raw;
  const char *retry_after;
  char       *location;
} Reply;

static const char * const endpoint_names[] = {
  "any", "ping", "account", "users", "workspaces",
};
G_STATIC_ASSERT (G_N_ELEMENTS (endpoint_names) == OFL_FAKE_N_ENDPOINTS);

static const char * const fault_names[] = {
  "none", "401", "403", "404", "429", "429-retry-after", "500", "503", "html",
  "invalid-json", "truncated-json", "huge-json", "array", "wrong-types",
  "hang", "close-mid-body", "redirect-http", "redirect-host",
  /* A hostile server (issue 18). */
  "drip", "oversized-page", "many-pages", "deep-json", "deep-object", "deep-error",
  "huge-id", "redirect-loop", "not-modified",
};
G_STATIC_ASSERT (G_N_ELEMENTS (fault_names) == OFL_FAKE_N_FAULTS);

const char *
ofl_fake_endpoint_to_string (OflFakeEndpoint endpoint)
{
  g_return_val_if_fail (endpoint < OFL_FAKE_N_ENDPOINTS, NULL);
  return endpoint_names[endpoint];
}

gboolean
ofl_fake_endpoint_from_string (const char      *name,
                               OflFakeEndpoint *endpoint)
{
  for (guint i = 0; name && i < OFL_FAKE_N_ENDPOINTS; i++)
    if (g_ascii_strcasecmp (name, endpoint_names[i]) == 0)
      {
        *endpoint = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ofl_fake_fault_to_string (OflFakeFault fault)
{
  g_return_val_if_fail (fault < OFL_FAKE_N_FAULTS, NULL);
  return fault_names[fault];
}

gboolean
ofl_fake_fault_from_string (const char   *name,
                            OflFakeFault *fault)
{
  for (guint i = 0; name && i < OFL_FAKE_N_FAULTS; i++)
    {
      g_autofree char *underscored = g_strdelimit (g_strdup (fault_names[i]), "-", '_');

      /* "429-retry-after" and "429_RETRY_AFTER" both work. */
      if (g_ascii_strcasecmp (name, fault_names[i]) == 0 ||
          g_ascii_strcasecmp (name, underscored) == 0)
        {
          *fault = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Requests */

static void
request_clear (OflFakeRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_free (req->user_email);
  g_free (req->user_agent);
}

static void
request_unref (gpointer req)
{
  g_rc_box_release_full (req, (GDestroyNotify) request_clear);
}

static void
request_finish (OflFakeRequest *req,
                guint           status)
{
  if (req->finished_us != 0)
    return;
  req->status = status;
  req->finished_us = g_get_monotonic_time ();
}

/* Fixture */

static void
user_free (User *user)
{
  g_free (user->email);
  g_free (user->name);
  g_free (user->title);
  g_free (user->phone_number);
  g_free (user);
}

static Account *
find_account (OflFakeServer *self,
              const char    *account_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->accounts); i++)
    if (g_strcmp0 (self->accounts[i].id_string, account_id) == 0)
      return &self->accounts[i];
  return NULL;
}

static User *
find_user (Account    *account,
           const char *email,
           guint      *position)
{
  for (guint i = 0; email && i < account->users->len; i++)
    {
      User *user = g_ptr_array_index (account->users, i);

      if (g_ascii_strcasecmp (user->email, email) == 0)
        {
          if (position)
            *position = i;
          return user;
        }
    }
  return NULL;
}

static User *
account_add_user (OflFakeServer *self,
                  Account       *account,
                  const char    *email,
                  const char    *name,
                  const char    *title,
                  gboolean       active,
                  gboolean       is_admin,
                  guint          workspaces,
                  guint          permissions)
{
  User *user = g_new0 (User, 1);

  user->id = self->next_user_id++;
  user->email = g_strdup (email);
  user->name = g_strdup (name ? name : email);
  user->title = g_strdup (title ? title : "");
  user->phone_number = g_strdup_printf ("+46 70 000 %04" G_GINT64_FORMAT, user->id % 10000);
  user->active = active;
  user->is_admin = is_admin;
  user->workspaces = workspaces;
  user->permissions = permissions;
  g_ptr_array_add (account->users, user);
  return user;
}

static void
load_fixture (OflFakeServer *self)
{
  Account *acme = &self->accounts[0];
  Account *beta = &self->accounts[1];

  *acme = (Account) {
    .id = 1001, .id_string = OFL_FAKE_ACCOUNT_ACME_ID, .name = OFL_FAKE_ACCOUNT_ACME,
    .country_code = "SE", .registration_number = "556677-8899",
    .filler_domain = "acme.example",
    .workspaces = acme_workspaces, .n_workspaces = G_N_ELEMENTS (acme_workspaces),
    .users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free),
  };
  *beta = (Account) {
    .id = 2002, .id_string = OFL_FAKE_ACCOUNT_BETA_ID, .name = OFL_FAKE_ACCOUNT_BETA,
    .country_code = "FI", .registration_number = "1234567-8",
    .filler_domain = "beta.example",
    .workspaces = beta_workspaces, .n_workspaces = G_N_ELEMENTS (beta_workspaces),
    .users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free),
  };

  account_add_user (self, acme, OFL_FAKE_EMAIL_ANNA, "Anna Andersson", "CEO",
                    TRUE, TRUE, ALL_WORKSPACES, PERM_ALL);
  account_add_user (self, acme, OFL_FAKE_EMAIL_BERT, "Bert Berg", "Former sales rep",
                    FALSE, FALSE, ALL_WORKSPACES, PERM_MEMBER);
  /* Carl reaches Sales only, and may only read there. */
  account_add_user (self, acme, OFL_FAKE_EMAIL_CARL, "Carl Carlsson", "Sales rep",
                    TRUE, FALSE, 1 << 0, PERM_CONTRACT_READ);
  account_add_user (self, beta, OFL_FAKE_EMAIL_ANNA, "Anna Andersson", "Board member",
                    TRUE, FALSE, ALL_WORKSPACES, PERM_MEMBER);
  account_add_user (self, beta, OFL_FAKE_EMAIL_DORA, "Dora Dahl", "Office manager",
                    TRUE, TRUE, ALL_WORKSPACES, PERM_ALL);

  g_hash_table_insert (self->tokens, g_strdup (OFL_FAKE_TOKEN_ACME), acme);
  g_hash_table_insert (self->tokens, g_strdup (OFL_FAKE_TOKEN_ACME_NEW), acme);
  g_hash_table_insert (self->tokens, g_strdup (OFL_FAKE_TOKEN_BETA), beta);
}

void
ofl_fake_server_add_user (OflFakeServer *self,
                          const char    *account_id,
                          const char    *email,
                          const char    *name,
                          gboolean       active)
{
  Account *account;

  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  g_return_if_fail (email != NULL);
  account = find_account (self, account_id);
  g_return_if_fail (account != NULL);

  account_add_user (self, account, email, name, NULL, active, FALSE,
                    ALL_WORKSPACES, PERM_MEMBER);
}

void
ofl_fake_server_add_filler_users (OflFakeServer *self,
                                  const char    *account_id,
                                  guint          n)
{
  Account *account;

  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  account = find_account (self, account_id);
  g_return_if_fail (account != NULL);

  for (guint i = 0; i < n; i++)
    {
      guint number = ++account->n_fillers;
      g_autofree char *email = g_strdup_printf ("filler%04u@%s", number, account->filler_domain);
      g_autofree char *name = g_strdup_printf ("Filler User %04u", number);

      account_add_user (self, account, email, name, "Filler", TRUE, FALSE,
                        ALL_WORKSPACES, PERM_MEMBER);
    }
}

/* In every account that has the email. */
void
ofl_fake_server_set_user_active (OflFakeServer *self,
                                 const char    *email,
                                 gboolean       active)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));

  for (guint i = 0; i < G_N_ELEMENTS (self->accounts); i++)
    {
      User *user = find_user (&self->accounts[i], email, NULL);

      if (user)
        user->active = active;
    }
}

void
ofl_fake_server_remove_user (OflFakeServer *self,
                             const char    *account_id,
                             const char    *email)
{
  Account *account;
  guint position;

  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  account = find_account (self, account_id);
  g_return_if_fail (account != NULL);

  if (find_user (account, email, &position))
    g_ptr_array_remove_index (account->users, position);
}

void
ofl_fake_server_revoke_token (OflFakeServer *self,
                              const char    *token)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  g_hash_table_remove (self->tokens, token);
}

void
ofl_fake_server_add_token (OflFakeServer *self,
                           const char    *account_id,
                           const char    *token)
{
  Account *account;

  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  g_return_if_fail (token != NULL);
  account = find_account (self, account_id);
  g_return_if_fail (account != NULL);

  g_hash_table_replace (self->tokens, g_strdup (token), account);
}

/* Misbehaviour */

void
ofl_fake_server_set_fault (OflFakeServer   *self,
                           OflFakeEndpoint  endpoint,
                           OflFakeFault     fault,
                           guint            times)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  g_return_if_fail (endpoint < OFL_FAKE_N_ENDPOINTS);
  g_return_if_fail (fault < OFL_FAKE_N_FAULTS);

  self->faults[endpoint] = (FaultSlot) { fault, times };
}

void
ofl_fake_server_set_retry_after (OflFakeServer *self,
                                 const char    *value)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));

  g_free (self->retry_after);
  self->retry_after = g_strdup (value ? value : "1");
}

void
ofl_fake_server_set_latency (OflFakeServer   *self,
                             OflFakeEndpoint  endpoint,
                             guint            milliseconds)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  g_return_if_fail (endpoint < OFL_FAKE_N_ENDPOINTS);

  self->latency_ms[endpoint] = milliseconds;
}

void
ofl_fake_server_reset_faults (OflFakeServer *self)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));

  memset (self->faults, 0, sizeof self->faults);
  memset (self->latency_ms, 0, sizeof self->latency_ms);
  ofl_fake_server_set_retry_after (self, NULL);
}

/* An endpoint's own fault wins over ANY; each use counts down. */
static OflFakeFault
take_fault (OflFakeServer   *self,
            OflFakeEndpoint  endpoint)
{
  FaultSlot *slot = &self->faults[endpoint];
  OflFakeFault fault;

  if (slot->fault == OFL_FAKE_FAULT_NONE)
    slot = &self->faults[OFL_FAKE_ENDPOINT_ANY];
  fault = slot->fault;
  if (fault != OFL_FAKE_FAULT_NONE && slot->left > 0 && --slot->left == 0)
    slot->fault = OFL_FAKE_FAULT_NONE;
  return fault;
}

static guint
get_latency (OflFakeServer   *self,
             OflFakeEndpoint  endpoint)
{
  if (self->latency_ms[endpoint] > 0)
    return self->latency_ms[endpoint];
  return self->latency_ms[OFL_FAKE_ENDPOINT_ANY];
}

/* The request log */

GPtrArray *
ofl_fake_server_get_requests (OflFakeServer *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), NULL);

  copy = g_ptr_array_new_full (self->requests->len, request_unref);
  for (guint i = 0; i < self->requests->len; i++)
    g_ptr_array_add (copy, g_rc_box_acquire (g_ptr_array_index (self->requests, i)));
  return copy;
}

guint
ofl_fake_server_count_requests (OflFakeServer   *self,
                                OflFakeEndpoint  endpoint)
{
  guint n = 0;

  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      OflFakeRequest *req = g_ptr_array_index (self->requests, i);

      if (endpoint == OFL_FAKE_ENDPOINT_ANY || req->endpoint == endpoint)
        n++;
    }
  return n;
}

guint
ofl_fake_server_count_in_flight (OflFakeServer *self)
{
  guint n = 0;

  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    if (((OflFakeRequest *) g_ptr_array_index (self->requests, i))->finished_us == 0)
      n++;
  return n;
}

void
ofl_fake_server_clear_requests (OflFakeServer *self)
{
  g_return_if_fail (OFL_IS_FAKE_SERVER (self));
  g_ptr_array_set_size (self->requests, 0);
}

static JsonNode *
request_to_json (OflFakeRequest *req)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "endpoint", endpoint_names[req->endpoint]);
  json_object_set_string_member (object, "method", req->method);
  json_object_set_string_member (object, "path", req->path);
  json_object_set_string_member (object, "query", req->query);
  json_object_set_boolean_member (object, "has_token", req->has_token);
  json_object_set_boolean_member (object, "token_valid", req->token_valid);
  json_object_set_string_member (object, "user_email", req->user_email);
  json_object_set_string_member (object, "user_agent", req->user_agent);
  json_object_set_int_member (object, "status", req->status);
  json_object_set_int_member (object, "started_us", req->started_us);
  json_object_set_int_member (object, "finished_us", req->finished_us);
  json_node_take_object (node, object);
  return node;
}

/* Building replies */

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->raw, g_bytes_unref);
  g_clear_pointer (&reply->location, g_free);
}

/* Takes @object. */
static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static void
reply_set_json (Reply      *reply,
                guint       status,
                JsonObject *object)
{
  reply_clear (reply);
  reply->status = status;
  reply->content_type = "application/json";
  reply->json = object_node (object);
}

static void
reply_set_raw (Reply      *reply,
               guint       status,
               const char *content_type,
               GBytes     *raw)
{
  reply_clear (reply);
  reply->status = status;
  reply->content_type = content_type;
  reply->raw = raw;
}

static GBytes *
reply_get_body (Reply *reply)
{
  if (reply->raw)
    return g_bytes_ref (reply->raw);
  if (reply->json)
    {
      gsize length;
      char *text = json_to_string (reply->json, FALSE);

      length = strlen (text);
      return g_bytes_new_take (text, length);
    }
  return g_bytes_new_static ("", 0);
}

static const char *
status_title (guint status)
{
  /* libsoup 3.2 has no phrase for 429. */
  return status == 429 ? "Too Many Requests" : soup_status_get_phrase (status);
}

static void
reply_problem (Reply      *reply,
               const char *request_id,
               guint       status,
               const char *detail)
{
  JsonObject *object = json_object_new ();
  gint64 error_code = (gint64) status * 10000;
  g_autofree char *type = g_strdup_printf ("https://api.oneflow.com/v1/error_codes/%" G_GINT64_FORMAT,
                                           error_code);

  json_object_set_int_member (object, "status", status);
  json_object_set_string_member (object, "title", status_title (status));
  json_object_set_string_member (object, "detail", detail);
  json_object_set_int_member (object, "error_code", error_code);
  json_object_set_object_member (object, "parameter_problems", json_object_new ());
  json_object_set_string_member (object, "request_id", request_id);
  json_object_set_string_member (object, "type", type);
  reply_set_json (reply, status, object);
}

static void
reply_bad_parameter (Reply      *reply,
                     const char *request_id,
                     const char *parameter,
                     const char *problem)
{
  JsonObject *problems;
  JsonArray *list = json_array_new ();

  reply_problem (reply, request_id, SOUP_STATUS_BAD_REQUEST, "Invalid parameters.");
  problems = json_object_get_object_member (json_node_get_object (reply->json),
                                            "parameter_problems");
  json_array_add_string_element (list, problem);
  json_object_set_array_member (problems, parameter, list);
}

static JsonObject *
links_new (const char *self_href)
{
  JsonObject *links = json_object_new ();
  JsonObject *self_link = json_object_new ();

  json_object_set_string_member (self_link, "href", self_href);
  json_object_set_object_member (links, "self", self_link);
  return links;
}

/* Takes @href; NULL gives {"href": null}. */
static JsonObject *
link_new (char *href)
{
  JsonObject *link = json_object_new ();

  if (href)
    json_object_set_string_member (link, "href", href);
  else
    json_object_set_null_member (link, "href");
  g_free (href);
  return link;
}

/* @name, unless a test renamed the account or workspace @id. */
static const char *
shown_name (OflFakeServer *self,
            const char    *kind,
            gint64         id,
            const char    *name)
{
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, id);
  const char *renamed = g_hash_table_lookup (self->overrides, key);

  return renamed ? renamed : name;
}

static JsonObject *
account_to_json (OflFakeServer *self,
                 Account       *account)
{
  JsonObject *object = json_object_new ();
  JsonObject *token_info = json_object_new ();
  JsonObject *integration = json_object_new ();
  g_autofree char *href = g_strdup_printf ("%s/accounts/%s", self->url, account->id_string);

  json_object_set_int_member (object, "id", account->id);
  json_object_set_string_member (object, "name", shown_name (self, "account", account->id, account->name));
  json_object_set_string_member (object, "country_code", account->country_code);
  json_object_set_string_member (object, "registration_number", account->registration_number);
  json_object_set_string_member (object, "created_time", "2019-03-01T09:00:00.000000Z");
  json_object_set_string_member (object, "updated_time", "2024-05-14T12:30:00.000000Z");
  json_object_set_object_member (object, "_links", links_new (href));
  json_object_set_string_member (integration, "key", "custom");
  json_object_set_object_member (token_info, "integration", integration);
  json_object_set_object_member (object, "token_info", token_info);
  return object;
}

static JsonNode *
user_to_json (OflFakeServer *self,
              User          *user)
{
  JsonObject *object = json_object_new ();
  g_autofree char *href = g_strdup_printf ("%s/users/%" G_GINT64_FORMAT, self->url, user->id);

  json_object_set_int_member (object, "id", user->id);
  json_object_set_string_member (object, "email", user->email);
  json_object_set_string_member (object, "name", user->name);
  json_object_set_string_member (object, "title", user->title);
  json_object_set_string_member (object, "phone_number", user->phone_number);
  json_object_set_boolean_member (object, "active", user->active);
  json_object_set_boolean_member (object, "is_admin", user->is_admin);
  json_object_set_string_member (object, "state", "registered");
  json_object_set_object_member (object, "_links", links_new (href));
  return object_node (object);
}

static JsonNode *
workspace_to_json (OflFakeServer   *self,
                   Account         *account,
                   const Workspace *workspace,
                   guint            permissions)
{
  JsonObject *object = json_object_new ();
  JsonObject *perms = json_object_new ();
  g_autofree char *href = g_strdup_printf ("%s/workspaces/%" G_GINT64_FORMAT, self->url, workspace->id);

  for (guint i = 0; i < G_N_ELEMENTS (permission_names); i++)
    json_object_set_boolean_member (perms, permission_names[i], (permissions & (1u << i)) != 0);

  json_object_set_int_member (object, "id", workspace->id);
  json_object_set_string_member (object, "name", shown_name (self, "workspace", workspace->id, workspace->name));
  json_object_set_string_member (object, "description", workspace->description);
  json_object_set_string_member (object, "company_name", shown_name (self, "account", account->id, account->name));
  json_object_set_string_member (object, "country_code", account->country_code);
  json_object_set_string_member (object, "date_format", "YYYY-MM-DD");
  json_object_set_string_member (object, "registration_number", account->registration_number);
  json_object_set_string_member (object, "created_time", "2019-03-01T09:00:00.000000Z");
  json_object_set_string_member (object, "updated_time", "2024-05-14T12:30:00.000000Z");
  json_object_set_object_member (object, "_permissions", perms);
  json_object_set_object_member (object, "_links", links_new (href));
  return object_node (object);
}

/* Reads limit and offset; FALSE after putting a 400 into @reply. */
static gboolean
parse_paging (const char *query,
              guint      *limit,
              guint      *offset,
              Reply      *reply,
              const char *request_id)
{
  g_autoptr(GHashTable) params = query ? soup_form_decode (query) : NULL;
  const char *value;
  guint64 number;

  *limit = LIMIT_MAX;
  *offset = 0;

  value = params ? g_hash_table_lookup (params, "limit") : NULL;
  if (value)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 1, LIMIT_MAX, &number, NULL))
        {
          reply_bad_parameter (reply, request_id, "limit", "Must be an integer from 1 to 100.");
          return FALSE;
        }
      *limit = number;
    }

  value = params ? g_hash_table_lookup (params, "offset") : NULL;
  if (value)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 0, OFFSET_MAX, &number, NULL))
        {
          reply_bad_parameter (reply, request_id, "offset", "Must be an integer from 0 to 19900.");
          return FALSE;
        }
      *offset = number;
    }
  return TRUE;
}

/* Takes @items and answers with the page of them that was asked for. */
static void
reply_list (OflFakeServer *self,
            Reply         *reply,
            const char    *path,
            guint          limit,
            guint          offset,
            GPtrArray     *items)
{
  JsonObject *object = json_object_new ();
  JsonObject *links = json_object_new ();
  JsonArray *data = json_array_new ();
  guint count = items->len;

  for (guint i = offset; i < count && i < (guint64) offset + limit; i++)
    json_array_add_element (data, json_node_ref (g_ptr_array_index (items, i)));

  json_object_set_object_member (links, "self",
                                 link_new (g_strdup_printf ("%s%s?limit=%u&offset=%u",
                                                            self->url, path + strlen ("/v1"),
                                                            limit, offset)));
  if ((guint64) offset + limit < count)
    json_object_set_object_member (links, "next",
                                   link_new (g_strdup_printf ("%s%s?limit=%u&offset=%u",
                                                              self->url, path + strlen ("/v1"),
                                                              limit, offset + limit)));
  else
    json_object_set_object_member (links, "next", link_new (NULL));
  if (offset > 0)
    json_object_set_object_member (links, "previous",
                                   link_new (g_strdup_printf ("%s%s?limit=%u&offset=%u",
                                                              self->url, path + strlen ("/v1"),
                                                              limit, offset > limit ? offset - limit : 0)));
  else
    json_object_set_object_member (links, "previous", link_new (NULL));

  json_object_set_object_member (object, "_links", links);
  json_object_set_int_member (object, "count", count);
  json_object_set_array_member (object, "data", data);
  g_ptr_array_unref (items);
  reply_set_json (reply, SOUP_STATUS_OK, object);
}

/* The answer the real API would give, before any fault. */
static void
reply_api (OflFakeServer *self,
           Pending       *pending,
           Reply         *reply)
{
  OflFakeRequest *req = pending->req;
  Account *account = pending->account;
  guint limit, offset;

  if (g_strcmp0 (req->method, "GET") != 0)
    {
      reply_problem (reply, pending->request_id, SOUP_STATUS_METHOD_NOT_ALLOWED,
                     "Only GET is allowed here.");
      return;
    }
  if (pending->endpoint == OFL_FAKE_ENDPOINT_ANY)
    {
      reply_problem (reply, pending->request_id, SOUP_STATUS_NOT_FOUND,
                     "The requested resource was not found.");
      return;
    }
  if (account == NULL)
    {
      reply_problem (reply, pending->request_id, SOUP_STATUS_UNAUTHORIZED,
                     req->has_token
                     ? "The API token is invalid or has been revoked."
                     : "No API token was given in the x-oneflow-api-token header.");
      return;
    }

  switch (pending->endpoint)
    {
    case OFL_FAKE_ENDPOINT_PING:
      reply_set_json (reply, SOUP_STATUS_OK, json_object_new ());
      break;

    case OFL_FAKE_ENDPOINT_ACCOUNT:
      reply_set_json (reply, SOUP_STATUS_OK, account_to_json (self, account));
      break;

    case OFL_FAKE_ENDPOINT_USERS:
      {
        GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

        if (!parse_paging (req->query, &limit, &offset, reply, pending->request_id))
          {
            g_ptr_array_unref (items);
            break;
          }
        for (guint i = 0; i < account->users->len; i++)
          g_ptr_array_add (items, user_to_json (self, g_ptr_array_index (account->users, i)));
        reply_list (self, reply, req->path, limit, offset, items);
      }
      break;

    case OFL_FAKE_ENDPOINT_WORKSPACES:
      {
        GPtrArray *items;
        guint reach = ALL_WORKSPACES;
        guint permissions = PERM_ALL;

        /* Without the email header, the API acts as an anonymous admin.
         * What it says for an unknown or inactive email is undocumented:
         * the fake answers 403. */
        if (req->user_email)
          {
            User *user = find_user (account, req->user_email, NULL);

            if (user == NULL || !user->active)
              {
                reply_problem (reply, pending->request_id, SOUP_STATUS_FORBIDDEN,
                               user == NULL
                               ? "The user in x-oneflow-user-email is not a user of this account."
                               : "The user in x-oneflow-user-email is not active.");
                break;
              }
            if (!user->is_admin)
              {
                reach = user->workspaces;
                permissions = user->permissions;
              }
          }
        if (!parse_paging (req->query, &limit, &offset, reply, pending->request_id))
          break;

        items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
        for (guint i = 0; i < account->n_workspaces; i++)
          if (reach & (1u << i))
            g_ptr_array_add (items, workspace_to_json (self, account, &account->workspaces[i],
                                                       permissions));
        reply_list (self, reply, req->path, limit, offset, items);
      }
      break;

    case OFL_FAKE_ENDPOINT_ANY:
    case OFL_FAKE_N_ENDPOINTS:
    default:
      g_assert_not_reached ();
    }
}

/* Valid JSON, but the fields the client reads have the wrong types. */
static void
mangle_types (Reply           *reply,
              OflFakeEndpoint  endpoint)
{
  JsonObject *object = json_node_get_object (reply->json);

  if (json_object_has_member (object, "status"))
    {
      /* An error body */
      json_object_set_string_member (object, "status", "401");
      json_object_set_string_member (object, "error_code", "4010000");
      json_object_set_int_member (object, "detail", 42);
      return;
    }

  switch (endpoint)
    {
    case OFL_FAKE_ENDPOINT_ACCOUNT:
      {
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (object, "id"));

        json_object_set_string_member (object, "id", id);
        json_object_set_int_member (object, "name", 1001);
      }
      json_object_set_array_member (object, "_links", json_array_new ());
      break;

    case OFL_FAKE_ENDPOINT_USERS:
      {
        JsonArray *data = json_object_get_array_member (object, "data");
        g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  json_object_get_int_member (object, "count"));

        json_object_set_string_member (object, "count", count);
        for (guint i = 0; i < json_array_get_length (data); i++)
          {
            JsonObject *user = json_array_get_object_element (data, i);

            json_object_set_string_member (user, "id", "1");
            json_object_set_int_member (user, "email", 12345);
            json_object_set_string_member (user, "active", "yes");
            json_object_set_int_member (user, "is_admin", 1);
          }
      }
      break;

    case OFL_FAKE_ENDPOINT_WORKSPACES:
      {
        JsonObject *data = json_object_new ();

        json_object_set_boolean_member (data, "Sales", TRUE);
        json_object_set_object_member (object, "data", data);
        json_object_set_boolean_member (object, "count", TRUE);
      }
      break;

    case OFL_FAKE_ENDPOINT_PING:
    case OFL_FAKE_ENDPOINT_ANY:
    case OFL_FAKE_N_ENDPOINTS:
    default:
      json_node_unref (reply->json);
      reply->json = json_node_init_string (json_node_alloc (), "pong");
      break;
    }
}

static GBytes *
get_huge_body (OflFakeServer *self)
{
  if (self->huge_body == NULL)
    {
      const char *head = "{\"_links\":{\"next\":{\"href\":null},\"previous\":{\"href\":null}},"
                         "\"count\":0,\"data\":[],\"padding\":\"";
      const char *tail = "\"}";
      GString *text = g_string_sized_new (HUGE_SIZE + 1);

      g_string_append (text, head);
      while (text->len < HUGE_SIZE - strlen (tail))
        g_string_append_c (text, 'x');
      g_string_append (text, tail);
      self->huge_body = g_string_free_to_bytes (text);
    }
  return g_bytes_ref (self->huge_body);
}

static const char html_page[] =
  "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>\n"
  "<body><h1>Checking your browser before accessing api.oneflow.com</h1>\n"
  "<p>This process is automatic. Your browser will redirect to your requested "
  "content shortly.</p>\n<p>Generated by cloudfront (CloudFront)</p></body></html>\n";

static const char invalid_json[] =
  "{\"_links\": {\"next\": {\"href\": null}}, \"count\": 3, \"data\": [{\"id\": 1,, \"email\": nope}";

/* A hostile server (issue 18) */

/* The made-up item @i of a list past the account's real ones. */
static JsonNode *
made_up_item (OflFakeServer   *self,
              Pending         *pending,
              guint            i)
{
  if (pending->endpoint == OFL_FAKE_ENDPOINT_USERS)
    {
      g_autofree char *email = g_strdup_printf ("many%06u@many.example", i);
      g_autofree char *name = g_strdup_printf ("Many %u", i);
      User user = { .id = 1000000 + i, .email = email, .name = name, .title = (char *) "",
                    .phone_number = (char *) "", .active = TRUE };

      return user_to_json (self, &user);
    }

  {
    /* Only what a client reads, so that 5,000 fit in a response the
     * client reads (2 MiB) and the page's size is what it refuses. */
    JsonObject *object = json_object_new ();
    JsonObject *perms = json_object_new ();
    g_autofree char *name = g_strdup_printf ("Workspace %u", i);

    for (guint p = 0; p < G_N_ELEMENTS (permission_names); p++)
      json_object_set_boolean_member (perms, permission_names[p], TRUE);
    json_object_set_int_member (object, "id", 1000000 + i);
    json_object_set_string_member (object, "name", name);
    json_object_set_object_member (object, "_permissions", perms);
    return object_node (object);
  }
}

/* OVERSIZED_PAGE and MANY_PAGES: a list reply with @n items from @offset,
 * the real ones first, and a count of MANY_COUNT. */
static void
reply_made_up_list (OflFakeServer *self,
                    Pending       *pending,
                    Reply         *reply,
                    guint          offset,
                    guint          n)
{
  JsonObject *object = json_node_get_object (reply->json);
  JsonArray *real = json_object_get_array_member (object, "data");
  JsonArray *data = json_array_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  /* The real page was cut at limit; start again from every real item. */
  if (pending->endpoint == OFL_FAKE_ENDPOINT_USERS)
    for (guint i = 0; i < pending->account->users->len; i++)
      g_ptr_array_add (all, user_to_json (self, g_ptr_array_index (pending->account->users, i)));
  else
    for (guint i = 0; i < json_array_get_length (real) && offset == 0; i++)
      g_ptr_array_add (all, json_node_copy (json_array_get_element (real, i)));

  for (guint i = offset; i < MIN ((guint64) offset + n, MANY_COUNT); i++)
    json_array_add_element (data, i < all->len ? json_node_copy (g_ptr_array_index (all, i))
                                               : made_up_item (self, pending, i));
  json_object_set_array_member (object, "data", data);
  json_object_set_int_member (object, "count", MANY_COUNT);
}

static GBytes *
deep_json (void)
{
  GString *text = g_string_new ("{\"data\": /* ] */ ");

  for (guint i = 0; i < DEEP_ARRAYS; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < DEEP_ARRAYS; i++)
    g_string_append_c (text, ']');
  g_string_append (text, ", \"count\": 1}");
  return g_string_free_to_bytes (text);
}

static GBytes *
deep_object (void)
{
  GString *text = g_string_new ("{\"count\": 1, \"data\": [], \"deep\": ");

  for (guint i = 0; i < DEEP_OBJECTS; i++)
    g_string_append (text, "{\"a\":");
  g_string_append_c (text, '1');
  for (guint i = 0; i < DEEP_OBJECTS; i++)
    g_string_append_c (text, '}');
  g_string_append_c (text, '}');
  return g_string_free_to_bytes (text);
}

/* The reply with its first "id" number replaced by one beyond int64. */
static void
reply_huge_id (Reply *reply)
{
  g_autoptr(GBytes) body = reply_get_body (reply);
  g_autoptr(GRegex) regex = g_regex_new ("\"id\":-?[0-9]+", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *text = g_bytes_get_data (body, NULL);
  int size = (int) g_bytes_get_size (body), start, end;
  char *changed;

  if (!g_regex_match_full (regex, text, size, 0, 0, &match, NULL))
    return;
  g_match_info_fetch_pos (match, 0, &start, &end);
  changed = g_strdup_printf ("%.*s\"id\":" HUGE_ID "%.*s", start, text, size - end, text + end);
  reply_set_raw (reply, reply->status, "application/json", g_bytes_new_take (changed, strlen (changed)));
}

/* The hostile faults' replies; FALSE if @pending's fault is not one. */
static gboolean
build_hostile_reply (OflFakeServer *self,
                     Pending       *pending,
                     Reply         *reply)
{
  guint limit, offset;
  gboolean list = (pending->endpoint == OFL_FAKE_ENDPOINT_USERS ||
                   pending->endpoint == OFL_FAKE_ENDPOINT_WORKSPACES) &&
                  reply->status == SOUP_STATUS_OK && pending->account != NULL;

  switch (pending->fault)
    {
    case OFL_FAKE_FAULT_OVERSIZED_PAGE:
    case OFL_FAKE_FAULT_MANY_PAGES:
      if (list)
        {
          Reply scratch = { 0 };

          parse_paging (pending->req->query, &limit, &offset, &scratch, pending->request_id);
          reply_clear (&scratch);
          reply_made_up_list (self, pending, reply, offset,
                              pending->fault == OFL_FAKE_FAULT_OVERSIZED_PAGE ? OVERSIZED_ITEMS : limit);
        }
      return TRUE;
    case OFL_FAKE_FAULT_DEEP_JSON:
      reply_set_raw (reply, SOUP_STATUS_OK, "application/json", deep_json ());
      return TRUE;
    case OFL_FAKE_FAULT_DEEP_OBJECT:
      reply_set_raw (reply, SOUP_STATUS_OK, "application/json", deep_object ());
      return TRUE;
    case OFL_FAKE_FAULT_DEEP_ERROR:
      reply_set_raw (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "application/json", deep_json ());
      return TRUE;
    case OFL_FAKE_FAULT_HUGE_ID:
      reply_huge_id (reply);
      return TRUE;
    case OFL_FAKE_FAULT_REDIRECT_LOOP:
      reply_set_raw (reply, SOUP_STATUS_FOUND, NULL, NULL);
      reply->location = g_strdup_printf ("%s%s%s", pending->req->path, pending->req->query ? "?" : "",
                                         pending->req->query ? pending->req->query : "");
      return TRUE;
    case OFL_FAKE_FAULT_NOT_MODIFIED:
      reply_set_raw (reply, SOUP_STATUS_NOT_MODIFIED, NULL, NULL);
      return TRUE;
    case OFL_FAKE_FAULT_DRIP:
      /* The real answer, written slowly by send_drip_reply(). */
      return TRUE;
    default:
      return FALSE;
    }
}

/* The reply after applying @pending's fault (not HANG or CLOSE_MID_BODY). */
static void
build_reply (OflFakeServer *self,
             Pending       *pending,
             Reply         *reply)
{
  const char *id = pending->request_id;
  const char *path_and_query;

  reply_api (self, pending, reply);

  if (build_hostile_reply (self, pending, reply))
    return;

  switch (pending->fault)
    {
    case OFL_FAKE_FAULT_401:
      reply_problem (reply, id, 401, "The API token is invalid or has been revoked.");
      break;
    case OFL_FAKE_FAULT_403:
      reply_problem (reply, id, 403, "You do not have permission to do this.");
      break;
    case OFL_FAKE_FAULT_404:
      reply_problem (reply, id, 404, "The requested resource was not found.");
      break;
    case OFL_FAKE_FAULT_429:
    case OFL_FAKE_FAULT_429_RETRY_AFTER:
      reply_problem (reply, id, 429,
                     "You have reached the 5 minute rate limit for requests. "
                     "Try again in a few minutes.");
      if (pending->fault == OFL_FAKE_FAULT_429_RETRY_AFTER)
        reply->retry_after = self->retry_after;
      break;
    case OFL_FAKE_FAULT_500:
      reply_problem (reply, id, 500, "An internal error occurred.");
      break;
    case OFL_FAKE_FAULT_503:
      reply_problem (reply, id, 503, "The service is temporarily unavailable.");
      break;
    case OFL_FAKE_FAULT_HTML:
      reply_set_raw (reply, SOUP_STATUS_OK, "text/html; charset=utf-8",
                     g_bytes_new_static (html_page, strlen (html_page)));
      break;
    case OFL_FAKE_FAULT_INVALID_JSON:
      reply_set_raw (reply, SOUP_STATUS_OK, "application/json",
                     g_bytes_new_static (invalid_json, strlen (invalid_json)));
      break;
    case OFL_FAKE_FAULT_TRUNCATED_JSON:
      {
        g_autoptr(GBytes) body = reply_get_body (reply);
        gsize size = g_bytes_get_size (body);

        reply_set_raw (reply, reply->status, reply->content_type,
                       g_bytes_new_from_bytes (body, 0, size / 2));
      }
      break;
    case OFL_FAKE_FAULT_HUGE_JSON:
      reply_set_raw (reply, SOUP_STATUS_OK, "application/json", get_huge_body (self));
      break;
    case OFL_FAKE_FAULT_ARRAY:
      {
        JsonArray *array = json_array_new ();

        json_array_add_element (array, g_steal_pointer (&reply->json));
        reply->json = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
      }
      break;
    case OFL_FAKE_FAULT_WRONG_TYPES:
      mangle_types (reply, pending->endpoint);
      break;
    case OFL_FAKE_FAULT_REDIRECT_HTTP:
    case OFL_FAKE_FAULT_REDIRECT_HOST:
      reply_set_raw (reply, SOUP_STATUS_FOUND, NULL, NULL);
      path_and_query = pending->req->query ? "?" : "";
      if (pending->fault == OFL_FAKE_FAULT_REDIRECT_HTTP)
        reply->location = g_strdup_printf ("http://127.0.0.1:%u%s%s%s", self->redirect_port,
                                           pending->req->path, path_and_query,
                                           pending->req->query ? pending->req->query : "");
      else
        reply->location = g_strdup_printf (EVIL_ORIGIN "%s%s%s", pending->req->path,
                                           path_and_query,
                                           pending->req->query ? pending->req->query : "");
      break;
    case OFL_FAKE_FAULT_NONE:
    case OFL_FAKE_FAULT_HANG:
    case OFL_FAKE_FAULT_CLOSE_MID_BODY:
    case OFL_FAKE_N_FAULTS:
    default:
      break;
    }
}

/* Pending requests */

static void
pending_stop_sources (Pending *pending)
{
  if (pending->timeout)
    {
      g_source_destroy (pending->timeout);
      g_clear_pointer (&pending->timeout, g_source_unref);
    }
  if (pending->watch)
    {
      g_source_destroy (pending->watch);
      g_clear_pointer (&pending->watch, g_source_unref);
    }
}

static void
pending_free (Pending *pending)
{
  pending_stop_sources (pending);
  pending->self->pending = g_list_remove (pending->self->pending, pending);
  if (pending->msg)
    {
      g_signal_handlers_disconnect_by_data (pending->msg, pending);
      g_object_remove_weak_pointer (G_OBJECT (pending->msg), (gpointer *) &pending->msg);
    }
  g_clear_object (&pending->stream);
  g_clear_pointer (&pending->cut_reply, g_bytes_unref);
  g_clear_pointer (&pending->req, request_unref);
  g_free (pending->request_id);
  g_free (pending);
}

static void
on_message_finished (SoupServerMessage *msg,
                     Pending           *pending)
{
  request_finish (pending->req, soup_server_message_get_status (msg));
  pending_free (pending);
}

static void
send_reply (OflFakeServer     *self,
            SoupServerMessage *msg,
            Reply             *reply,
            const char        *request_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = reply_get_body (reply);

  soup_server_message_set_status (msg, reply->status, status_title (reply->status));
  soup_message_headers_replace (headers, "x-request-id", request_id);
  if (reply->retry_after)
    soup_message_headers_replace (headers, "Retry-After", reply->retry_after);
  if (reply->location)
    soup_message_headers_replace (headers, "Location", reply->location);
  if (reply->content_type)
    soup_message_headers_set_content_type (headers, reply->content_type, NULL);
  if (g_bytes_get_size (body) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

static void
on_cut_closed (GObject      *stream,
               GAsyncResult *result,
               gpointer      data)
{
  Pending *pending = data;
  OflFakeServer *self = pending->self;

  g_io_stream_close_finish (G_IO_STREAM (stream), result, NULL);
  request_finish (pending->req, SOUP_STATUS_OK);
  pending_free (pending);
  g_object_unref (self);
}

static void
on_cut_written (GObject      *stream,
                GAsyncResult *result,
                gpointer      data)
{
  Pending *pending = data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (stream), result, NULL, NULL);
  g_io_stream_close_async (pending->stream, G_PRIORITY_DEFAULT, NULL, on_cut_closed, pending);
}

/* DRIP: the whole answer, headers at once, then the body one byte a
 * second, until it is all sent or the client hangs up. */
static gboolean on_drip (gpointer data);

static void
on_drip_written (GObject      *stream,
                 GAsyncResult *result,
                 gpointer      data)
{
  Pending *pending = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (stream), result, NULL, NULL) ||
      pending->dripped >= g_bytes_get_size (pending->cut_reply))
    {
      g_io_stream_close_async (pending->stream, G_PRIORITY_DEFAULT, NULL, on_cut_closed, pending);
      return;
    }

  pending->timeout = g_timeout_source_new (DRIP_INTERVAL_MS);
  g_source_set_callback (pending->timeout, on_drip, pending, NULL);
  g_source_attach (pending->timeout, pending->self->context);
}

static gboolean
on_drip (gpointer data)
{
  Pending *pending = data;
  const char *bytes = g_bytes_get_data (pending->cut_reply, NULL);

  g_clear_pointer (&pending->timeout, g_source_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (pending->stream),
                                   bytes + pending->dripped++, 1, G_PRIORITY_DEFAULT, NULL,
                                   on_drip_written, pending);
  return G_SOURCE_REMOVE;
}

static void
send_drip_reply (Pending *pending)
{
  Reply reply = { 0 };
  g_autoptr(GBytes) body = NULL;
  GString *text;
  gsize head;

  build_reply (pending->self, pending, &reply);
  body = reply_get_body (&reply);

  text = g_string_new (NULL);
  g_string_append_printf (text,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "x-request-id: %s\r\n\r\n",
                          reply.status, status_title (reply.status),
                          g_bytes_get_size (body), pending->request_id);
  head = text->len;
  g_string_append_len (text, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  pending->cut_reply = g_string_free_to_bytes (text);
  pending->dripped = head;
  reply_clear (&reply);

  /* Keep the server alive until the connection is closed. */
  g_object_ref (pending->self);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (pending->stream),
                                   g_bytes_get_data (pending->cut_reply, NULL), head,
                                   G_PRIORITY_DEFAULT, NULL, on_drip_written, pending);
}

/* Promises more body in Content-Length than it sends, and hangs up. No
 * "Connection: close": with it, libsoup accepts a short body as complete. */
static void
send_cut_reply (Pending *pending)
{
  Reply reply = { 0 };
  g_autoptr(GBytes) body = NULL;
  gsize size;
  GString *text;

  build_reply (pending->self, pending, &reply);
  body = reply_get_body (&reply);
  size = g_bytes_get_size (body);

  text = g_string_new (NULL);
  g_string_append_printf (text,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "x-request-id: %s\r\n\r\n",
                          reply.status, status_title (reply.status),
                          size + 100, pending->request_id);
  g_string_append_len (text, g_bytes_get_data (body, NULL), size / 2);
  pending->cut_reply = g_string_free_to_bytes (text);
  reply_clear (&reply);

  /* Keep the server alive until the connection is closed. */
  g_object_ref (pending->self);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (pending->stream),
                                   g_bytes_get_data (pending->cut_reply, NULL),
                                   g_bytes_get_size (pending->cut_reply),
                                   G_PRIORITY_DEFAULT, NULL, on_cut_written, pending);
}

/* A problem body with the detail and request_id a test chose. */
static void
reply_apply_overrides (OflFakeServer *self,
                       Reply         *reply)
{
  static const char * const members[] = { "detail", "request_id" };
  JsonObject *object;

  if (reply->json == NULL || !JSON_NODE_HOLDS_OBJECT (reply->json))
    return;
  object = json_node_get_object (reply->json);
  if (!json_object_has_member (object, "detail"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = g_hash_table_lookup (self->overrides, members[i]);

      if (value != NULL)
        json_object_set_string_member (object, members[i], value);
    }
}

static void
pending_respond (Pending *pending)
{
  Reply reply = { 0 };

  pending_stop_sources (pending);
  if (pending->stream && pending->fault == OFL_FAKE_FAULT_DRIP)
    {
      send_drip_reply (pending);
      return;
    }
  if (pending->stream)
    {
      send_cut_reply (pending);
      return;
    }

  build_reply (pending->self, pending, &reply);
  reply_apply_overrides (pending->self, &reply);
  send_reply (pending->self, pending->msg, &reply, pending->request_id);
  reply_clear (&reply);
}

static gboolean
on_latency_done (gpointer data)
{
  Pending *pending = data;
  SoupServerMessage *msg = pending->msg;

  g_clear_pointer (&pending->timeout, g_source_unref);
  pending_respond (pending);
  /* For a paused message; unpausing may finish and free @pending. */
  if (msg)
    soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* The client closed the connection while its request was paused: it
 * no longer counts as in flight. Finish the message so libsoup frees it. */
static gboolean
on_client_gone (GSocket      *socket,
                GIOCondition  condition,
                gpointer      data)
{
  Pending *pending = data;
  SoupServerMessage *msg = pending->msg;

  g_clear_pointer (&pending->watch, g_source_unref);
  pending_stop_sources (pending);
  request_finish (pending->req, 0);
  soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
pending_pause (Pending *pending)
{
  GSocket *socket = soup_server_message_get_socket (pending->msg);

  /* An HTTPS connection came in as a stream (see tls_incoming_cb). */
  if (socket == NULL && pending->self->tls_sockets != NULL)
    {
      GSocketAddress *remote = soup_server_message_get_remote_address (pending->msg);

      if (G_IS_INET_SOCKET_ADDRESS (remote))
        socket = g_hash_table_lookup (pending->self->tls_sockets,
                                      GUINT_TO_POINTER (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote))));
    }

  soup_server_message_pause (pending->msg);
  if (socket)
    {
      pending->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (pending->watch, G_SOURCE_FUNC (on_client_gone), pending, NULL);
      g_source_attach (pending->watch, pending->self->context);
    }
}

static OflFakeEndpoint
endpoint_for_path (const char *path)
{
  if (g_str_equal (path, "/v1/ping"))
    return OFL_FAKE_ENDPOINT_PING;
  if (g_str_equal (path, "/v1/accounts/me"))
    return OFL_FAKE_ENDPOINT_ACCOUNT;
  if (g_str_equal (path, "/v1/users"))
    return OFL_FAKE_ENDPOINT_USERS;
  if (g_str_equal (path, "/v1/workspaces"))
    return OFL_FAKE_ENDPOINT_WORKSPACES;
  return OFL_FAKE_ENDPOINT_ANY;
}

static void
handle_api (OflFakeServer     *self,
            SoupServerMessage *msg,
            const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *token = soup_message_headers_get_one (headers, "x-oneflow-api-token");
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  Pending *pending = g_new0 (Pending, 1);
  OflFakeRequest *req = g_rc_box_new0 (OflFakeRequest);
  guint latency;

  req->endpoint = endpoint_for_path (path);
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (path);
  req->query = g_strdup (query);
  req->has_token = token != NULL;
  req->token_valid = token && g_hash_table_contains (self->tokens, token);
  req->user_email = g_strdup (soup_message_headers_get_one (headers, "x-oneflow-user-email"));
  req->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  req->started_us = g_get_monotonic_time ();
  g_ptr_array_add (self->requests, g_rc_box_acquire (req));

  pending->self = self;
  pending->msg = msg;
  pending->req = req;
  pending->endpoint = req->endpoint;
  pending->account = token ? g_hash_table_lookup (self->tokens, token) : NULL;
  pending->fault = take_fault (self, req->endpoint);
  pending->request_id = g_uuid_string_random ();
  self->pending = g_list_prepend (self->pending, pending);
  g_object_add_weak_pointer (G_OBJECT (msg), (gpointer *) &pending->msg);
  g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), pending);

  if (pending->fault == OFL_FAKE_FAULT_CLOSE_MID_BODY || pending->fault == OFL_FAKE_FAULT_DRIP)
    {
      /* From here on the connection is ours, and libsoup forgets it. */
      g_signal_handlers_disconnect_by_data (msg, pending);
      g_object_remove_weak_pointer (G_OBJECT (msg), (gpointer *) &pending->msg);
      pending->msg = NULL;
      pending->stream = soup_server_message_steal_connection (msg);
    }
  else if (pending->fault == OFL_FAKE_FAULT_HANG)
    {
      pending_pause (pending);
      return;
    }

  latency = get_latency (self, req->endpoint);
  if (latency == 0)
    {
      pending_respond (pending);
      return;
    }

  if (pending->msg)
    pending_pause (pending);
  pending->timeout = g_timeout_source_new (latency);
  g_source_set_callback (pending->timeout, on_latency_done, pending, NULL);
  g_source_attach (pending->timeout, self->context);
}

/* Control endpoints, so that tests in other processes can steer the
 * fake. They are not API requests, so they are not logged. */
static void
handle_control (OflFakeServer     *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autofree char *form = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *request_id = g_uuid_string_random ();
  gboolean is_post = g_strcmp0 (soup_server_message_get_method (msg), "POST") == 0;
  const char *what = path + strlen ("/_fake/");
  Reply reply = { 0 };
  OflFakeEndpoint endpoint;
  OflFakeFault fault;
  guint64 number = 0;

  /* Parameters come in the query, or as a form body (curl -d). */
  if (request_body->length > 0)
    form = g_strndup (request_body->data, request_body->length);
  else
    form = g_strdup (query ? query : "");
  params = soup_form_decode (form);

#define PARAM(name) ((const char *) g_hash_table_lookup (params, name))

  reply_set_json (&reply, SOUP_STATUS_OK, json_object_new ());

  if (g_str_equal (what, "requests") && !is_post)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < self->requests->len; i++)
        json_array_add_element (array, request_to_json (g_ptr_array_index (self->requests, i)));
      json_node_unref (reply.json);
      reply.json = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
    }
  else if (!is_post)
    reply_problem (&reply, request_id, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use POST.");
  else if (g_str_equal (what, "revoke") && PARAM ("token"))
    ofl_fake_server_revoke_token (self, PARAM ("token"));
  else if (g_str_equal (what, "token") && PARAM ("token") && find_account (self, PARAM ("account")))
    ofl_fake_server_add_token (self, PARAM ("account"), PARAM ("token"));
  else if (g_str_equal (what, "user") && PARAM ("email"))
    {
      const char *account_id = PARAM ("account") ? PARAM ("account") : OFL_FAKE_ACCOUNT_ACME_ID;
      gboolean active = g_strcmp0 (PARAM ("active"), "false") != 0;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (self->accounts); i++)
        known |= find_user (&self->accounts[i], PARAM ("email"), NULL) != NULL;

      /* A known email changes everywhere; a new one joins the account. */
      if (known)
        ofl_fake_server_set_user_active (self, PARAM ("email"), active);
      else if (find_account (self, account_id))
        ofl_fake_server_add_user (self, account_id, PARAM ("email"), PARAM ("name"), active);
      else
        reply_bad_parameter (&reply, request_id, "account", "No such account.");
    }
  else if (g_str_equal (what, "rename") && PARAM ("name") &&
           (find_account (self, PARAM ("account")) ||
            (PARAM ("workspace") && !PARAM ("account") &&
             g_ascii_string_to_unsigned (PARAM ("workspace"), 10, 1, G_MAXINT64, &number, NULL))))
    {
      g_autofree char *key = PARAM ("account")
        ? g_strconcat ("account:", PARAM ("account"), NULL)
        : g_strdup_printf ("workspace:%" G_GUINT64_FORMAT, number);

      g_hash_table_replace (self->overrides, g_steal_pointer (&key), g_strdup (PARAM ("name")));
    }
  else if (g_str_equal (what, "problem") && (PARAM ("detail") || PARAM ("request_id")))
    {
      static const char * const members[] = { "detail", "request_id" };

      /* An empty value goes back to the server's own. */
      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        if (PARAM (members[i]) && *PARAM (members[i]) == '\0')
          g_hash_table_remove (self->overrides, members[i]);
        else if (PARAM (members[i]))
          g_hash_table_replace (self->overrides, g_strdup (members[i]), g_strdup (PARAM (members[i])));
    }
  else if (g_str_equal (what, "remove-user") && PARAM ("email") && find_account (self, PARAM ("account")))
    ofl_fake_server_remove_user (self, PARAM ("account"), PARAM ("email"));
  else if (g_str_equal (what, "fillers") && find_account (self, PARAM ("account")) &&
           g_ascii_string_to_unsigned (PARAM ("n") ? PARAM ("n") : "", 10, 0, 19999, &number, NULL))
    ofl_fake_server_add_filler_users (self, PARAM ("account"), number);
  else if (g_str_equal (what, "fault") &&
           ofl_fake_endpoint_from_string (PARAM ("endpoint") ? PARAM ("endpoint") : "any", &endpoint) &&
           ofl_fake_fault_from_string (PARAM ("fault"), &fault) &&
           g_ascii_string_to_unsigned (PARAM ("times") ? PARAM ("times") : "0", 10, 0, G_MAXUINT, &number, NULL))
    ofl_fake_server_set_fault (self, endpoint, fault, number);
  else if (g_str_equal (what, "latency") &&
           ofl_fake_endpoint_from_string (PARAM ("endpoint") ? PARAM ("endpoint") : "any", &endpoint) &&
           g_ascii_string_to_unsigned (PARAM ("ms") ? PARAM ("ms") : "", 10, 0, 600000, &number, NULL))
    ofl_fake_server_set_latency (self, endpoint, number);
  else if (g_str_equal (what, "retry-after") && PARAM ("value"))
    ofl_fake_server_set_retry_after (self, PARAM ("value"));
  else if (g_str_equal (what, "reset"))
    ofl_fake_server_reset_faults (self);
  else if (g_str_equal (what, "clear-requests"))
    ofl_fake_server_clear_requests (self);
  else
    reply_problem (&reply, request_id, SOUP_STATUS_BAD_REQUEST,
                   "Unknown control request or missing parameters.");

#undef PARAM

  send_reply (self, msg, &reply, request_id);
  reply_clear (&reply);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           data)
{
  OflFakeServer *self = data;

  if (g_str_has_prefix (path, "/_fake/"))
    handle_control (self, msg, path);
  else
    handle_api (self, msg, path);
}

/* Construction */

static char *
certificate_file (const char *name)
{
  return g_build_filename (OFL_FAKE_CERT_DIR, name, NULL);
}

static guint
listener_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return address ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) : 0;
}

/* Listens on 127.0.0.1:@port and returns the port it got: the one
 * listener that is not on @known_port. */
static guint
listen_loopback (SoupServer               *server,
                 guint                     port,
                 SoupServerListenOptions   options,
                 guint                     known_port,
                 GError                  **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *listeners;
  guint found = 0;

  if (!soup_server_listen (server, address, options, error))
    return 0;

  listeners = soup_server_get_listeners (server);
  for (GSList *l = listeners; l; l = l->next)
    if (listener_port (l->data) != known_port)
      found = listener_port (l->data);
  g_slist_free (listeners);
  return found;
}

/* HTTPS is terminated here, not by SoupServer: libsoup 3.6 frees a
 * connection whose handshake is still running when the server goes, and
 * its handshake callback then touches the freed connection (a client
 * that refused the certificate leaves exactly that behind). Handshakes
 * made here are cancelled on dispose, and only a finished one reaches
 * SoupServer, as an accepted stream. */
typedef struct {
  SoupServer     *server;
  GSocketAddress *local;
  GSocketAddress *remote;
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_clear_object (&handshake->server);
  g_clear_object (&handshake->local);
  g_clear_object (&handshake->remote);
  g_free (handshake);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handshake *handshake = user_data;
  g_autoptr(GError) error = NULL;

  /* A refused certificate, a client gone, or a server going away. */
  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    soup_server_accept_iostream (handshake->server, G_IO_STREAM (object),
                                 handshake->local, handshake->remote, NULL);
  g_object_unref (object);
  handshake_free (handshake);
}

typedef struct {
  GHashTable *sockets;
  guint       port;
} SocketEntry;

static void
socket_gone (gpointer  data,
             GObject  *where_the_object_was)
{
  SocketEntry *entry = data;

  if (g_hash_table_lookup (entry->sockets, GUINT_TO_POINTER (entry->port)) == where_the_object_was)
    g_hash_table_remove (entry->sockets, GUINT_TO_POINTER (entry->port));
  g_hash_table_unref (entry->sockets);
  g_free (entry);
}

static gboolean
tls_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 OflFakeServer     *self)
{
  g_autoptr(GError) error = NULL;
  GIOStream *tls;
  Handshake *handshake;

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
  if (tls == NULL)
    return TRUE;
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);

  handshake = g_new0 (Handshake, 1);
  handshake->server = g_object_ref (self->server);
  handshake->local = g_socket_connection_get_local_address (connection, NULL);
  handshake->remote = g_socket_connection_get_remote_address (connection, NULL);

  /* For the hang fault's "client gone" watch: the socket by client port. */
  if (G_IS_INET_SOCKET_ADDRESS (handshake->remote))
    {
      SocketEntry *entry = g_new0 (SocketEntry, 1);
      GSocket *socket = g_socket_connection_get_socket (connection);

      entry->sockets = g_hash_table_ref (self->tls_sockets);
      entry->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (handshake->remote));
      g_hash_table_replace (self->tls_sockets, GUINT_TO_POINTER (entry->port), socket);
      g_object_weak_ref (G_OBJECT (socket), socket_gone, entry);
    }
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    self->tls_cancellable, handshake_cb, handshake);
  return TRUE;
}

static guint
listen_tls_loopback (OflFakeServer  *self,
                     guint           port,
                     GError        **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) effective = NULL;

  self->tls_service = g_socket_service_new ();
  self->tls_cancellable = g_cancellable_new ();
  self->tls_sockets = g_hash_table_new (NULL, NULL);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->tls_service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, error))
    return 0;
  g_signal_connect (self->tls_service, "incoming", G_CALLBACK (tls_incoming_cb), self);
  g_socket_service_start (self->tls_service);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

OflFakeServer *
ofl_fake_server_new_full (OflFakeTls   tls,
                          guint        port,
                          GError     **error)
{
  g_autoptr(OflFakeServer) self = g_object_new (OFL_TYPE_FAKE_SERVER, NULL);

  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  if (tls != OFL_FAKE_TLS_NONE)
    {
      g_autofree char *key_path = certificate_file ("fake-server-key.pem");

      self->certificate_path = certificate_file (tls == OFL_FAKE_TLS_EXPIRED
                                                 ? "fake-server-expired-cert.pem"
                                                 : "fake-server-cert.pem");
      self->certificate = g_tls_certificate_new_from_files (self->certificate_path, key_path, error);
      if (self->certificate == NULL)
        return NULL;
    }

  self->server = g_object_new (SOUP_TYPE_SERVER,
                               "server-header", "oneflow-fake-server ",
                               NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

  if (self->certificate != NULL)
    self->port = listen_tls_loopback (self, port, error);
  else
    self->port = listen_loopback (self->server, port, 0, 0, error);
  if (self->port == 0)
    return NULL;
  /* A plain-http twin, as the target of REDIRECT_HTTP. */
  self->redirect_port = listen_loopback (self->server, 0, 0, self->port, error);
  if (self->redirect_port == 0)
    return NULL;

  self->url = g_strdup_printf ("%s://127.0.0.1:%u/v1", tls ? "https" : "http", self->port);
  return g_steal_pointer (&self);
}

OflFakeServer *
ofl_fake_server_new (gboolean   tls,
                     GError   **error)
{
  return ofl_fake_server_new_full (tls ? OFL_FAKE_TLS_SELF_SIGNED : OFL_FAKE_TLS_NONE, 0, error);
}

OflFakeServer *
ofl_fake_server_new_with_expired_certificate (GError **error)
{
  return ofl_fake_server_new_full (OFL_FAKE_TLS_EXPIRED, 0, error);
}

const char *
ofl_fake_server_get_url (OflFakeServer *self)
{
  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), NULL);
  return self->url;
}

guint
ofl_fake_server_get_port (OflFakeServer *self)
{
  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), 0);
  return self->port;
}

guint
ofl_fake_server_get_redirect_port (OflFakeServer *self)
{
  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), 0);
  return self->redirect_port;
}

GTlsCertificate *
ofl_fake_server_get_certificate (OflFakeServer *self)
{
  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), NULL);
  return self->certificate;
}

const char *
ofl_fake_server_get_certificate_path (OflFakeServer *self)
{
  g_return_val_if_fail (OFL_IS_FAKE_SERVER (self), NULL);
  return self->certificate_path;
}

static void
ofl_fake_server_dispose (GObject *object)
{
  OflFakeServer *self = OFL_FAKE_SERVER (object);

  /* No timer may fire into a server that is going away. */
  for (GList *l = self->pending; l; l = l->next)
    pending_stop_sources (l->data);

  /* No new connections, and no handshake finishes into a server that is gone. */
  if (self->tls_service)
    {
      g_signal_handlers_disconnect_by_data (self->tls_service, self);
      g_socket_service_stop (self->tls_service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->tls_service));
      g_cancellable_cancel (self->tls_cancellable);
    }
  g_clear_object (&self->tls_service);
  g_clear_object (&self->tls_cancellable);
  g_clear_pointer (&self->tls_sockets, g_hash_table_unref);

  /* Closing the connections finishes paused (hanging) messages. */
  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  /* Whatever is left never got an answer. */
  while (self->pending)
    {
      Pending *pending = self->pending->data;

      request_finish (pending->req, 0);
      pending_free (pending);
    }

  G_OBJECT_CLASS (ofl_fake_server_parent_class)->dispose (object);
}

static void
ofl_fake_server_finalize (GObject *object)
{
  OflFakeServer *self = OFL_FAKE_SERVER (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->accounts); i++)
    g_clear_pointer (&self->accounts[i].users, g_ptr_array_unref);
  g_hash_table_unref (self->tokens);
  g_hash_table_unref (self->overrides);
  g_ptr_array_unref (self->requests);
  g_clear_pointer (&self->huge_body, g_bytes_unref);
  g_clear_object (&self->certificate);
  g_free (self->certificate_path);
  g_free (self->retry_after);
  g_free (self->url);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (ofl_fake_server_parent_class)->finalize (object);
}

static void
ofl_fake_server_class_init (OflFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ofl_fake_server_dispose;
  object_class->finalize = ofl_fake_server_finalize;
}

static void
ofl_fake_server_init (OflFakeServer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_ptr_array_new_with_free_func (request_unref);
  self->retry_after = g_strdup ("1");
  self->next_user_id = 1;
  load_fixture (self);
}
