/* ofl-cli.c: the headless verbs of oneflow-link
 *
 * They run from GApplication's handle-local-options, before the app
 * registers or touches a display, so administrators can script them on
 * staff machines over SSH. Everything below the options is the same core
 * the window uses; the async calls run on the default main context until
 * each verb is done.
 *
 * The token is never an argument (it would show in /proc/PID/cmdline and
 * in the shell history): --link reads it from standard input.
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ofl-cli.h"
#include "ofl-client.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-links.h"
#include "ofl-verifier.h"

/* Longer than any token anyone would paste: a longer line is not a
 * token, and is refused rather than cut. */
#define MAX_TOKEN_INPUT 1024

/* Helpers */

static void
on_ready (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;
  *slot = g_object_ref (result);
}

/* The command line has no window to keep alive: it iterates the default
 * main context until its one operation has finished. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static int
exit_code_for_error (const GError *error)
{
  switch (ofl_error_get_kind (error))
    {
    case OFL_ERROR_KIND_INPUT:
      return OFL_EXIT_USAGE;
    case OFL_ERROR_KIND_REJECTED:
      return OFL_EXIT_REJECTED;
    case OFL_ERROR_KIND_KEYRING:
      return OFL_EXIT_KEYRING;
    case OFL_ERROR_KIND_SECURITY:
      return OFL_EXIT_SECURITY;
    case OFL_ERROR_KIND_NOT_FOUND:
      return OFL_EXIT_NOTHING;
    case OFL_ERROR_KIND_TEMPORARY:
    case OFL_ERROR_KIND_CANCELLED:
    default:
      return OFL_EXIT_TEMPORARY;
    }
}

/* When --check has several outcomes, the one most in need of a person
 * wins: a security problem, then the keyring, then a rejected link, then
 * no verdict. */
static int
exit_code_rank (int code)
{
  switch (code)
    {
    case OFL_EXIT_SECURITY:
      return 5;
    case OFL_EXIT_KEYRING:
      return 4;
    case OFL_EXIT_REJECTED:
      return 3;
    case OFL_EXIT_TEMPORARY:
      return 2;
    case OFL_EXIT_OK:
      return 0;
    default:
      return 1;
    }
}

/* Text from Oneflow or from links.json, as it may be printed: control
 * characters become escapes, so a name can neither drive the terminal
 * nor break a line. */
static char *
safe (const char *text)
{
  return ofl_escape_controls (text, OFL_ESCAPE_TEXT);
}

/* Our own sentences may wrap in a translation; anything else they carry
 * is escaped. */
static char *
one_line (const char *text)
{
  g_autofree char *line = g_strdup (text ? text : "");

  g_strdelimit (line, "\r\n", ' ');
  return safe (g_strstrip (line));
}

/* One plain line on stderr: what went wrong and what to do, and what
 * Oneflow support needs to find the request. */
static void
print_error (const char   *prefix,
             const GError *error)
{
  g_autofree char *message = one_line (error->message);
  const char *request_id = ofl_error_get_request_id (error);
  g_autoptr(GString) line = g_string_new (NULL);

  if (prefix != NULL)
    {
      g_autofree char *who = safe (prefix);
      g_string_append_printf (line, "%s: ", who);
    }
  g_string_append (line, message);
  if (request_id != NULL && *request_id != '\0')
    {
      g_autofree char *id = safe (request_id);
      g_string_append_c (line, ' ');
      /* Translators: %s is the request ID Oneflow sent with an error */
      g_string_append_printf (line, _("(Oneflow request ID: %s)"), id);
    }

  g_printerr ("%s\n", line->str);
}

static int
usage_error (const char *message)
{
  g_printerr ("%s %s\n", message, _("See “oneflow-link --help”."));
  return OFL_EXIT_USAGE;
}

/* Printable: see safe(). */
static char *
describe_link (OflLink *link)
{
  const char *name = ofl_link_get_account_name (link);
  g_autofree char *email = safe (ofl_link_get_email (link));
  g_autofree char *account = NULL;

  if (name == NULL || *name == '\0')
    name = ofl_link_get_account_id (link);
  account = safe (name);
  /* Translators: an email and a Oneflow account, "anna@example.com (Acme AB)" */
  return g_strdup_printf (_("%s (%s)"), email, account);
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *printable = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  /* json-glib escapes C0 in strings but writes DEL, C1 and bidi
   * controls as they are: the same values, as \u escapes. */
  printable = ofl_escape_controls (text, OFL_ESCAPE_JSON);
  g_print ("%s\n", printable);
}

static void
print_links_json (GPtrArray *links)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < links->len; i++)
    json_array_add_element (array, ofl_link_to_public_json (g_ptr_array_index (links, i)));
  json_node_set_array (root, array);
  print_json (root);
}

static char *
format_local_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  if (date_time == NULL)
    /* Translators: in --list, after "Last checked:" */
    return g_strdup (_("never"));
  local = g_date_time_to_local (date_time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
describe_status (OflLink *link)
{
  /* A short name, but read from links.json. */
  g_autofree char *problem = safe (ofl_link_get_problem (link));

  switch (ofl_link_get_status (link))
    {
    case OFL_LINK_STATUS_OK:
      if (problem != NULL)
        /* Translators: %s is a short error name, e.g. "timed-out" */
        return g_strdup_printf (_("OK (the last check got no answer: %s)"), problem);
      return g_strdup (_("OK"));
    case OFL_LINK_STATUS_NEEDS_ATTENTION:
      /* Translators: the first %s is a short error name, e.g.
       * "token-rejected"; the second says what it means, in a sentence */
      return g_strdup_printf (_("Needs attention (%s). %s"), problem ? problem : "?",
                              ofl_error_describe_problem (ofl_link_get_problem (link)));
    case OFL_LINK_STATUS_UNCHECKED:
    default:
      return g_strdup (_("Not checked yet"));
    }
}

static void
print_link (OflLink *link)
{
  g_autofree char *status = describe_status (link);
  g_autofree char *checked = format_local_time (ofl_link_get_last_checked (link));
  GPtrArray *workspaces = ofl_link_get_workspaces (link);
  /* Every value from links.json, as Oneflow or the file had it. */
  g_autofree char *email = safe (ofl_link_get_email (link));
  g_autofree char *account = safe (ofl_link_get_account_name (link));
  g_autofree char *account_id = safe (ofl_link_get_account_id (link));
  g_autofree char *user = safe (ofl_link_get_user_name (link));
  g_autofree char *shown_url = ofl_config_redact_api_url (ofl_link_get_api_url (link) ?: "");
  g_autofree char *api_url = safe (shown_url);

  g_print ("%s\n", email);
  /* Translators: "Acme AB (ID 1001)" */
  g_print ("  %-14s %s (ID %s)\n", _("Account:"),
           /* Translators: an account whose name is not known yet */
           account ? account : _("unknown"), account_id);
  if (user != NULL)
    g_print ("  %-14s %s\n", _("User:"), user);
  /* Translators: --list labels are padded to 14 columns; keep them short */
  g_print ("  %-14s %s\n", _("Status:"), status);
  g_print ("  %-14s %s\n", _("Last checked:"), checked);
  g_print ("  %-14s %s\n", _("API:"), api_url);
  if (workspaces->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < workspaces->len; i++)
        {
          OflWorkspace *workspace = g_ptr_array_index (workspaces, i);
          g_autofree char *name = safe (workspace->name);

          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, name ? name : "?");
        }
      g_print ("  %-14s %s\n", _("Workspaces:"), names->str);
    }
}

/* Every saved link, as an array of OflLink. */
static GPtrArray *
list_links (OflLinks  *links,
            GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *model = ofl_links_get_model (links);
  GPtrArray *listed;

  ofl_links_load_async (links, NULL, on_ready, &result);
  if (!ofl_links_load_finish (links, wait_for (&result), error))
    return NULL;

  listed = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (listed, g_list_model_get_item (model, i));

  return listed;
}

/* Reading the token */

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

static void
restore_terminal (void)
{
  if (termios_saved)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved_termios);
  termios_saved = 0;
}

static void
on_fatal_signal (int signum)
{
  /* Async-signal-safe: give the person their echo back, then die of
   * the same signal. */
  restore_terminal ();
  signal (signum, SIG_DFL);
  raise (signum);
}

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };

typedef enum {
  INPUT_OK,
  INPUT_NUL,
  INPUT_TOO_LONG,
  INPUT_LINES,
} InputProblem;

static void
set_input_error (InputProblem   problem,
                 GError       **error)
{
  switch (problem)
    {
    case INPUT_NUL:
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_TOKEN,
                           _("Standard input contains a NUL byte, so it is not a token; nothing was sent. "
                             "Give only the token, on one line, for example “oneflow-link --link EMAIL < token.txt”."));
      break;
    case INPUT_TOO_LONG:
      g_set_error (error, OFL_ERROR, OFL_ERROR_MALFORMED_TOKEN,
                   /* Translators: %d is a number of bytes, 1024 */
                   _("The line on standard input is longer than %d bytes, so it is not a token; nothing was sent. "
                     "Give only the token, on one line."),
                   MAX_TOKEN_INPUT);
      break;
    case INPUT_LINES:
      g_set_error_literal (error, OFL_ERROR, OFL_ERROR_MALFORMED_TOKEN,
                           _("Standard input has more than one line, so it is not a token; nothing was sent. "
                             "Give only the token, on one line, for example “oneflow-link --link EMAIL < token.txt”."));
      break;
    case INPUT_OK:
    default:
      g_assert_not_reached ();
    }
}

/* Reads the token from standard input into wiped memory. On a terminal
 * it prompts on stderr, turns the echo off and reads the line typed.
 * Otherwise it reads the line, then what has already arrived after it (a
 * file to its end), without waiting for more: a pipe may stay open. A
 * NUL, a second line (blank ones aside) or a line over MAX_TOKEN_INPUT
 * bytes is malformed and refused, never cut to what looks like a token. */
static OflSecret *
read_token (const char  *email,
            GError     **error)
{
  char buffer[MAX_TOKEN_INPUT + 1];
  struct sigaction saved_actions[G_N_ELEMENTS (prompt_signals)];
  gboolean terminal = isatty (STDIN_FILENO);
  gboolean line_ended = FALSE;
  InputProblem problem = INPUT_OK;
  gsize length = 0;
  gsize after = 0;
  char c = 0;
  OflSecret *token;

  if (terminal)
    {
      struct sigaction action = { 0 };
      struct termios quiet;

      if (tcgetattr (STDIN_FILENO, &saved_termios) == 0)
        {
          action.sa_handler = on_fatal_signal;
          sigemptyset (&action.sa_mask);
          for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
            sigaction (prompt_signals[i], &action, &saved_actions[i]);

          quiet = saved_termios;
          quiet.c_lflag &= ~ECHO;
          quiet.c_lflag |= ECHONL;
          termios_saved = 1;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }

      /* Only once the echo is off, so nothing typed early shows. */
      /* Translators: a prompt on the terminal; %s is an email */
      g_printerr (_("Paste the Oneflow API token for %s (it is not shown) and press Enter: "), email);
    }

  /* Byte by byte with read(): no stdio buffer keeps a copy. It stops
   * at the first sign of malformed input, so nothing unbounded is read. */
  while (problem == INPUT_OK)
    {
      ssize_t n;

      if (line_ended)
        {
          struct pollfd ready = { .fd = STDIN_FILENO, .events = POLLIN };

          /* Only what is there now, and not without end. */
          if (poll (&ready, 1, 0) <= 0 || !(ready.revents & (POLLIN | POLLHUP)))
            break;
          if (after++ == MAX_TOKEN_INPUT)
            {
              problem = INPUT_LINES;
              break;
            }
        }

      n = read (STDIN_FILENO, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (c == '\0')
        problem = INPUT_NUL;
      else if (line_ended)
        {
          if (!g_ascii_isspace (c))
            problem = INPUT_LINES;
        }
      else if (c == '\n')
        {
          /* A person at a terminal has given their line. */
          if (terminal)
            break;
          line_ended = TRUE;
        }
      else if (length == MAX_TOKEN_INPUT)
        problem = INPUT_TOO_LONG;
      else
        buffer[length++] = c;
    }
  buffer[length] = '\0';
  explicit_bzero (&c, sizeof c);

  if (terminal && problem != INPUT_OK)
    /* The rest of a long paste must not reach the shell. */
    tcflush (STDIN_FILENO, TCIFLUSH);

  if (terminal && termios_saved)
    {
      restore_terminal ();
      for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
        sigaction (prompt_signals[i], &saved_actions[i], NULL);
    }

  if (problem != INPUT_OK)
    {
      set_input_error (problem, error);
      token = NULL;
    }
  else
    token = ofl_credentials_normalize_token (buffer, error);
  explicit_bzero (buffer, sizeof buffer);

  return token;
}

/* --link EMAIL */

static void
print_linked (OflLink  *link,
              gboolean  replaced)
{
  GPtrArray *workspaces = ofl_link_get_workspaces (link);
  /* Names as Oneflow sent them: see safe(). */
  g_autofree char *email = safe (ofl_link_get_email (link));
  g_autofree char *account = safe (ofl_link_get_account_name (link));
  g_autofree char *account_id = safe (ofl_link_get_account_id (link));
  g_autofree char *user = safe (ofl_link_get_user_name (link));

  if (replaced)
    /* Translators: email, Oneflow account name, account ID, user name */
    g_print (_("Linked %s again to the Oneflow account %s (ID %s) as %s; the new token replaced the old one.\n"),
             email, account, account_id, user ? user : email);
  else
    /* Translators: email, Oneflow account name, account ID, user name */
    g_print (_("Linked %s to the Oneflow account %s (ID %s) as %s.\n"),
             email, account, account_id, user ? user : email);

  if (workspaces->len == 0)
    {
      g_print ("%s\n", _("This user cannot reach any workspace yet."));
      return;
    }

  g_print ("%s\n", _("Workspaces:"));
  for (guint i = 0; i < workspaces->len; i++)
    {
      OflWorkspace *workspace = g_ptr_array_index (workspaces, i);
      g_autofree char *name = safe (workspace->name);
      g_autofree char *permissions = NULL;

      if (workspace->permissions != NULL && workspace->permissions[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv (", ", workspace->permissions);
          permissions = safe (joined);
        }
      else
        permissions = g_strdup (_("no permissions"));

      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, workspace->id);

      /* Translators: a workspace line: its name, its ID, then what the user may do */
      g_print (_("  %s (ID %s): %s\n"), name ? name : "?", id, permissions);
    }
}

/* SIGTERM or Ctrl+C while Oneflow or the keyring is busy: cancel the
 * step in flight and return, so a write is never cut off halfway. */
typedef struct {
  GCancellable *cancellable;
  int           signum;
  guint         sources[2];
} StopRequest;

static gboolean
stop_requested_cb (gpointer user_data)
{
  StopRequest *stop = user_data;

  g_cancellable_cancel (stop->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
sigterm_cb (gpointer user_data)
{
  ((StopRequest *) user_data)->signum = SIGTERM;
  return stop_requested_cb (user_data);
}

static gboolean
sigint_cb (gpointer user_data)
{
  ((StopRequest *) user_data)->signum = SIGINT;
  return stop_requested_cb (user_data);
}

static void
stop_request_init (StopRequest *stop)
{
  stop->cancellable = g_cancellable_new ();
  stop->signum = 0;
  stop->sources[0] = g_unix_signal_add (SIGTERM, sigterm_cb, stop);
  stop->sources[1] = g_unix_signal_add (SIGINT, sigint_cb, stop);
}

static void
stop_request_clear (StopRequest *stop)
{
  g_clear_handle_id (&stop->sources[0], g_source_remove);
  g_clear_handle_id (&stop->sources[1], g_source_remove);
  g_clear_object (&stop->cancellable);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StopRequest, stop_request_clear)

/* The shell's convention for "ended by a signal". */
static int
stopped (StopRequest *stop)
{
  g_printerr ("%s\n", _("Stopped before the link was saved. The links you had are unchanged."));
  return 128 + stop->signum;
}

static int
run_link (OflLinks   *links,
          const char *email_input)
{
  g_auto(StopRequest) stop = { 0 };
  g_autoptr(OflClient) client = NULL;
  g_autoptr(OflVerifier) verifier = NULL;
  g_autoptr(OflLinkResult) linked = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;

  email = ofl_credentials_normalize_email (email_input, &error);
  if (email == NULL)
    {
      print_error (NULL, error);
      return OFL_EXIT_USAGE;
    }

  client = ofl_client_new_default (&error);
  if (client == NULL)
    {
      print_error (NULL, error);
      return exit_code_for_error (error);
    }

  /* Ask for a token only when it can be kept: a keyring that cannot be
   * reached fails now, before anything is sent to Oneflow. */
  existing = list_links (links, &error);
  if (existing == NULL)
    {
      print_error (NULL, error);
      return exit_code_for_error (error);
    }

  token = read_token (email, &error);
  if (token == NULL)
    {
      print_error (NULL, error);
      return OFL_EXIT_USAGE;
    }

  /* Nothing is saved unless every check passes: an existing link keeps
   * its working token. */
  stop_request_init (&stop);
  verifier = ofl_verifier_new (client);
  ofl_links_link_async (links, verifier, token, email, NULL, FALSE, stop.cancellable, on_ready, &result);
  g_clear_pointer (&token, ofl_secret_free);
  linked = ofl_links_link_finish (links, wait_for (&result), &error);
  if (stop.signum != 0)
    return stopped (&stop);
  if (linked == NULL)
    {
      print_error (NULL, error);
      return exit_code_for_error (error);
    }

  print_linked (linked->link, linked->replaced != NULL);
  /* A cap on what is kept is said, never applied silently. */
  if (linked->limits_note != NULL)
    g_print ("%s\n", linked->limits_note);

  return OFL_EXIT_OK;
}

/* --list [--json] */

static int
run_list (OflLinks *service,
          gboolean  json)
{
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;

  links = list_links (service, &error);
  if (links == NULL)
    {
      print_error (NULL, error);
      return exit_code_for_error (error);
    }

  if (json)
    {
      print_links_json (links);
      return OFL_EXIT_OK;
    }

  if (links->len == 0)
    {
      g_print ("%s\n", _("No Oneflow account is linked on this computer. Link one with “oneflow-link --link EMAIL”."));
      return OFL_EXIT_OK;
    }

  for (guint i = 0; i < links->len; i++)
    {
      if (i > 0)
        g_print ("\n");
      print_link (g_ptr_array_index (links, i));
    }

  return OFL_EXIT_OK;
}

/* --check [--json]: every link at once */

static int
check_exit_code (OflCheckOutcome *outcome)
{
  int code = outcome->error ? exit_code_for_error (outcome->error) : OFL_EXIT_OK;

  /* A link that still needs attention after a check without a verdict
   * still needs a person. */
  if (ofl_link_get_status (outcome->link) == OFL_LINK_STATUS_NEEDS_ATTENTION &&
      exit_code_rank (OFL_EXIT_REJECTED) > exit_code_rank (code))
    code = OFL_EXIT_REJECTED;

  return code;
}

static int
run_check (OflLinks *links,
           gboolean  json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) checked = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int exit_code = OFL_EXIT_OK;

  /* All at once, each against its own API. */
  ofl_links_check_all_async (links, NULL, on_ready, &result);
  outcomes = ofl_links_check_all_finish (links, wait_for (&result), &error);
  if (outcomes == NULL)
    {
      print_error (NULL, error);
      return exit_code_for_error (error);
    }

  if (outcomes->len == 0)
    {
      g_printerr ("%s\n", _("No Oneflow account is linked on this computer, so there is nothing to check. "
                            "Link one with “oneflow-link --link EMAIL”."));
      return OFL_EXIT_NOTHING;
    }

  /* In list order, so the output is the same from run to run. */
  for (guint i = 0; i < outcomes->len; i++)
    {
      OflCheckOutcome *outcome = g_ptr_array_index (outcomes, i);
      g_autofree char *who = describe_link (outcome->link);
      int code = check_exit_code (outcome);

      if (outcome->error != NULL)
        print_error (who, outcome->error);
      else if (!json)
        /* Translators: %s is "anna@example.com (Acme AB)" */
        g_print (_("%s: OK\n"), who);

      if (exit_code_rank (code) > exit_code_rank (exit_code))
        exit_code = code;
      g_ptr_array_add (checked, outcome->link);
    }

  if (json)
    print_links_json (checked);

  return exit_code;
}

/* The saved links of @email_input (in @account_id, if given), at least
 * one; or NULL, with the reason printed and the exit code set. */
static GPtrArray *
find_saved_links (OflLinks    *service,
                  const char  *email_input,
                  const char  *account_id,
                  char       **email_out,
                  int         *exit_code)
{
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;

  email = ofl_credentials_normalize_email (email_input, &error);
  if (email == NULL)
    {
      print_error (NULL, error);
      *exit_code = OFL_EXIT_USAGE;
      return NULL;
    }

  links = list_links (service, &error);
  if (links == NULL)
    {
      print_error (NULL, error);
      *exit_code = exit_code_for_error (error);
      return NULL;
    }

  matches = ofl_links_find (service, email, account_id);

  if (matches->len == 0)
    {
      g_autofree char *id = safe (account_id);

      if (id != NULL)
        /* Translators: an email and a Oneflow account ID */
        g_printerr (_("No link for %s in the Oneflow account %s is saved on this computer. "
                      "See the saved links with “oneflow-link --list”.\n"), email, id);
      else
        /* Translators: %s is an email */
        g_printerr (_("No link for %s is saved on this computer. "
                      "See the saved links with “oneflow-link --list”.\n"), email);
      *exit_code = OFL_EXIT_NOTHING;
      return NULL;
    }

  *email_out = g_steal_pointer (&email);
  return g_steal_pointer (&matches);
}

/* The email is linked in several accounts and none was named: say which
 * there are. */
static int
more_than_one_account (const char *email,
                       GPtrArray  *matches)
{
  g_autoptr(GString) accounts = g_string_new (NULL);

  for (guint i = 0; i < matches->len; i++)
    {
      OflLink *link = g_ptr_array_index (matches, i);
      g_autofree char *id = safe (ofl_link_get_account_id (link));
      g_autofree char *name = safe (ofl_link_get_account_name (link));

      if (i > 0)
        g_string_append (accounts, ", ");
      g_string_append (accounts, id);
      if (name != NULL)
        g_string_append_printf (accounts, " %s", name);
    }

  /* Translators: an email, then a list like "1001 Acme AB, 2002 Beta Oy" */
  g_printerr (_("%s is linked to more than one Oneflow account (%s). "
                "Choose one with --account ID.\n"), email, accounts->str);
  return OFL_EXIT_USAGE;
}

/* --unlink EMAIL [--account ID] */

static int
run_unlink (OflLinks   *links,
            const char *email_input,
            const char *account_id)
{
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *email = NULL;
  int exit_code = OFL_EXIT_OK;

  matches = find_saved_links (links, email_input, account_id, &email, &exit_code);
  if (matches == NULL)
    return exit_code;

  if (matches->len > 1 && account_id == NULL)
    return more_than_one_account (email, matches);

  for (guint i = 0; i < matches->len; i++)
    {
      OflLink *link = g_ptr_array_index (matches, i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) remove_error = NULL;
      g_autofree char *who = describe_link (link);

      ofl_links_unlink_async (links, link, NULL, on_ready, &result);
      if (!ofl_links_unlink_finish (links, wait_for (&result), &remove_error))
        {
          print_error (who, remove_error);
          exit_code = exit_code_for_error (remove_error);
          continue;
        }

      /* Translators: %s is "anna@example.com (Acme AB)" */
      g_print (_("Removed the link %s and its saved token.\n"), who);
    }

  return exit_code;
}

/* --token EMAIL [--account ID]: the saved token on standard output, for
 * scripts (as `gh auth token` does) */

/* All of it, straight from the wiped buffer: through stdio a copy would
 * stay behind in its buffer. */
static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      ssize_t written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      data += written;
      length -= (gsize) written;
    }

  return TRUE;
}

static int
run_token (OflLinks   *links,
           const char *email_input,
           const char *account_id)
{
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *who = NULL;
  int exit_code = OFL_EXIT_OK;
  OflLink *link;

  matches = find_saved_links (links, email_input, account_id, &email, &exit_code);
  if (matches == NULL)
    return exit_code;
  if (matches->len > 1 && account_id == NULL)
    return more_than_one_account (email, matches);

  link = g_ptr_array_index (matches, 0);
  who = describe_link (link);
  ofl_links_lookup_token_async (links, link, NULL, on_ready, &result);
  token = ofl_links_lookup_token_finish (links, wait_for (&result), &error);
  if (token == NULL)
    {
      print_error (who, error);
      return exit_code_for_error (error);
    }

  /* Known not to work: said, but the token is still given, as the script
   * may be the one to find out why. */
  if (ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
    {
      g_autofree char *cause = one_line (ofl_error_describe_problem (ofl_link_get_problem (link)));

      /* Translators: %s is "anna@example.com (Acme AB)", then why it needs attention */
      g_printerr (_("Warning: the link %s needs attention: %s\n"), who, cause);
      exit_code = OFL_EXIT_REJECTED;
    }

  if (!write_all (STDOUT_FILENO, token, strlen (token)) || !write_all (STDOUT_FILENO, "\n", 1))
    {
      g_printerr ("%s\n", _("Could not write the token to standard output."));
      return OFL_EXIT_USAGE;
    }

  return exit_code;
}

/* --relink EMAIL: the one verb that opens the window */

static int
run_relink (GApplication *application,
            OflLinks     *links,
            const char   *email_input)
{
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  int exit_code = OFL_EXIT_OK;

  /* Said here, on the terminal, rather than in a window. */
  matches = find_saved_links (links, email_input, NULL, &email, &exit_code);
  if (matches == NULL)
    return exit_code;

  /* The running instance (or this one, as the primary) opens the repair:
   * the same app.relink a notification activates. */
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return OFL_EXIT_USAGE;
    }
  g_action_group_activate_action (G_ACTION_GROUP (application), "relink", g_variant_new_string (email));

  if (g_application_get_is_remote (application))
    {
      GDBusConnection *bus = g_application_get_dbus_connection (application);

      if (bus != NULL)
        g_dbus_connection_flush_sync (bus, NULL, NULL);
      return OFL_EXIT_OK;
    }

  /* The primary instance: go on running, with the window open. */
  return -1;
}

/* Options */

void
ofl_cli_add_options (GApplication *application)
{
  const GOptionEntry entries[] = {
    { "link", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Link EMAIL: read the API token from standard input, verify it and save it in the keyring"),
      /* Translators: the placeholder in --help; the same word as in the option texts */
      N_("EMAIL") },
    { "list", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("List the saved links (never the tokens)"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Verify every saved link now and save each outcome"), NULL },
    { "unlink", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Remove the link of EMAIL: its token and its details"), N_("EMAIL") },
    { "token", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Print the saved API token of EMAIL and a newline, for scripts"), N_("EMAIL") },
    { "relink", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the window to re-link EMAIL with a new token (in the running instance, if any)"), N_("EMAIL") },
    { "account", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --unlink or --token: the Oneflow account ID, when EMAIL is linked to several"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("With --list or --check: print one JSON array"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };
  /* What is left after the options: no verb takes any, so it is an
   * error to say so rather than something to ignore. */
  const GOptionEntry remaining[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
    { NULL }
  };
  g_autofree char *description = NULL;
  g_autofree char *example = NULL;
  g_autofree char *token_example = NULL;
  /* In the Flatpak the command is "flatpak run". */
  const char *command = ofl_config_in_flatpak () ? "flatpak run " BASE_APP_ID : "oneflow-link";

  g_application_add_main_option_entries (application, remaining);

  /* Translated here rather than through the option group's domain, so
   * the strings are the ones in the catalogue. */
  for (guint i = 0; entries[i].long_name != NULL; i++)
    g_application_add_main_option (application,
                                   entries[i].long_name, entries[i].short_name,
                                   entries[i].flags, entries[i].arg,
                                   _(entries[i].description),
                                   entries[i].arg_description ? _(entries[i].arg_description) : NULL);

  g_application_set_option_context_summary (application,
                                            _("Links this computer to a Oneflow account. Without options, "
                                              "the window opens; the options below work without a display, "
                                              "for scripts and remote administration."));

  example = g_strdup_printf ("  %s --link anna@example.com < token.txt", command);
  /* The app's own keyring, which in the Flatpak no other program can read. */
  token_example = g_strdup_printf ("  %s --token anna@example.com", command);
  description = g_strjoin ("\n",
                           _("The token is never accepted as an argument. “--link” reads it from "
                             "standard input (one line; on a terminal it is asked for and not "
                             "shown), for example:"),
                           example,
                           "",
                           _("Scripts and other programs get a saved token, and only the token, with:"),
                           token_example,
                           "",
                           _("Exit status:"),
                           _("  0  success"),
                           _("  1  usage error or malformed input (nothing was sent)"),
                           _("  2  Oneflow rejected the credentials (token invalid or revoked, email not "
                             "in the account, user deactivated); for --check, at least one link needs attention; "
                             "for --token, the link is known to need attention (the token is printed all the same)"),
                           _("  3  no verdict now: network, time-out, rate limit or server error; try again later"),
                           _("  4  the keyring failed"),
                           _("  5  TLS or security failure"),
                           _("  6  nothing to act on (no saved link for --check, unknown link for --unlink, --relink or --token)"),
                           _("When --check has several outcomes, the exit status is the most serious one, in this order: 5, 4, 2, 3."),
                           "",
                           _("Environment: ONEFLOW_LINK_API_URL sets the Oneflow API address "
                             "(https://, or http:// to this computer only)."),
                           NULL);
  g_application_set_option_context_description (application, description);
}

int
ofl_cli_handle_local_options (GApplication *application,
                              OflLinks     *links,
                              GVariantDict *options)
{
  const char *link = NULL;
  const char *unlink = NULL;
  const char *relink = NULL;
  const char *token = NULL;
  const char *account = NULL;
  gboolean list = g_variant_dict_contains (options, "list");
  gboolean check = g_variant_dict_contains (options, "check");
  gboolean json = g_variant_dict_contains (options, "json");
  gboolean version = g_variant_dict_contains (options, "version");
  g_autofree const char **stray = NULL;
  guint n_verbs;

  g_variant_dict_lookup (options, "link", "&s", &link);
  g_variant_dict_lookup (options, "unlink", "&s", &unlink);
  g_variant_dict_lookup (options, "relink", "&s", &relink);
  g_variant_dict_lookup (options, "token", "&s", &token);
  g_variant_dict_lookup (options, "account", "&s", &account);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &stray);

  if (stray != NULL && stray[0] != NULL)
    {
      g_autofree char *first = safe (stray[0]);
      g_autofree char *message =
        /* Translators: %s is the first argument that is not an option */
        g_strdup_printf (_("Unexpected argument “%s”: oneflow-link takes options only, and an email only after --link, --unlink or --relink."),
                         first);
      return usage_error (message);
    }

  if (version)
    {
      g_print ("oneflow-link %s\n", PACKAGE_VERSION);
      return OFL_EXIT_OK;
    }

  /* --relink EMAIL opens the window on the re-link page (app.relink). */
  n_verbs = (link != NULL) + list + check + (unlink != NULL) + (relink != NULL) + (token != NULL);

  if (n_verbs == 0)
    {
      if (json || account != NULL)
        return usage_error (_("--json and --account only go with --list, --check, --unlink or --token."));
      return -1;
    }

  if (n_verbs > 1)
    return usage_error (_("Use one of --link, --list, --check, --unlink, --relink and --token at a time."));
  if (json && !list && !check)
    return usage_error (_("--json only goes with --list or --check."));
  if (account != NULL && unlink == NULL && token == NULL)
    return usage_error (_("--account only goes with --unlink or --token."));
  if (account != NULL && *account == '\0')
    return usage_error (_("--account needs the Oneflow account ID, as “oneflow-link --list” shows it."));

  if (link != NULL)
    return run_link (links, link);
  if (list)
    return run_list (links, json);
  if (check)
    return run_check (links, json);
  if (relink != NULL)
    return run_relink (application, links, relink);
  if (token != NULL)
    return run_token (links, token, account);
  return run_unlink (links, unlink, account);
}
