/* ofl-store.c: links kept in the system keyring, details in links.json
 *
 * The keyring is the truth for which links exist. links.json only adds
 * what the app shows (names, workspaces, the last check) and never holds
 * a secret: entries without a keyring item are ignored and pruned on the
 * next write, items without an entry list as unchecked.
 *
 * Every keyring call is async and bounded by a timeout, so a hung
 * Secret Service or a forgotten unlock prompt never blocks anyone. When
 * the keyring fails the store says so; it never falls back to a file.
 */

#include "config.h"

/* libsecret's D-Bus path API (secret-paths.h): listing without its
 * search's double return, see search_all_async (). Stable in practice
 * since libsecret 0.18; on Debian 13's 0.21 and GNOME 51's alike. */
#define SECRET_API_SUBJECT_TO_CHANGE 1

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ofl-details.h"
#include "ofl-error.h"
#include "ofl-store-private.h"

#define DEFAULT_TIMEOUT_SECONDS 60

struct _OflStore
{
  GObject  parent_instance;

  char    *details_path;
  guint    timeout_seconds;
  /* Serialises read-modify-write of links.json between worker threads. */
  GMutex   details_mutex;
};

G_DEFINE_FINAL_TYPE (OflStore, ofl_store, G_TYPE_OBJECT)

typedef enum {
  KEYRING_SAVE,
  KEYRING_LOOKUP,
  KEYRING_LIST,
  KEYRING_REMOVE,
  KEYRING_UPDATE,
  /* Not an operation, a message: the keyring died with the store call
   * on its way, so whether it stored the token is not known. */
  KEYRING_SAVE_UNKNOWN,
} KeyringOperation;

const SecretSchema *
ofl_store_get_schema (void)
{
  /* SECRET_SCHEMA_NONE keeps the xdg:schema attribute, so other tools
   * can find the token with secret-tool. */
  static const SecretSchema schema = {
    "org.example.OneflowLink", SECRET_SCHEMA_NONE,
    {
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "api-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static GError *
new_keyring_error (KeyringOperation operation)
{
  const char *what = NULL;
  g_autofree char *advice = NULL;

  switch (operation)
    {
    case KEYRING_SAVE:
      what = _("Could not reach the keyring, so the link was not saved.");
      break;
    case KEYRING_LOOKUP:
      what = _("Could not reach the keyring, so the saved token could not be read.");
      break;
    case KEYRING_LIST:
      what = _("Could not reach the keyring, where Oneflow Link keeps the tokens of your links.");
      break;
    case KEYRING_REMOVE:
      what = _("Could not reach the keyring, so the link was not removed.");
      break;
    case KEYRING_UPDATE:
      what = _("Could not reach the keyring, so the result of the check was not saved.");
      break;
    case KEYRING_SAVE_UNKNOWN:
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

static GError *
new_no_such_link_error (OflLink *link)
{
  const char *account = ofl_link_get_account_name (link);

  if (account == NULL || *account == '\0')
    account = ofl_link_get_account_id (link);

  /* Translators: the first %s is an email, the second a Oneflow account */
  return g_error_new (OFL_ERROR, OFL_ERROR_NO_SUCH_LINK,
                      _("There is no saved link for %s (%s) on this computer."),
                      ofl_link_get_email (link), account);
}

/* A keyring call that cannot wait forever: the inner cancellable is
 * cancelled by the caller's cancellable or by a timeout.
 *
 * Cancelling is not always enough. libsecret 0.20 answers a cancelled
 * prompt by asking the service to dismiss it and then waits for the
 * prompt's Completed signal, which a service stuck behind its own
 * unlock dialog never sends. So a call that can prompt is a
 * KeyringStep: once the guard has fired, libsecret gets a short grace to
 * answer; after that the step fails on its own and libsecret's answer,
 * should it ever come, is dropped. */

#define KEYRING_GRACE_MS 2000

typedef struct _KeyringStep KeyringStep;

typedef struct {
  KeyringOperation  operation;
  GCancellable     *inner;
  GCancellable     *outer;
  GSource          *outer_cancelled;
  GMainContext     *context;
  GSource          *timeout;
  GSource          *grace;
  guint             timeout_seconds;
  gboolean          timed_out;
  gboolean          fired;
  KeyringStep      *pending;
} KeyringGuard;

/* How a step fails when libsecret does not answer: takes the task and
 * @error (NULL: nothing came back). */
typedef void (*KeyringStepFailed) (GTask  *task,
                                   GError *error);

struct _KeyringStep {
  KeyringGuard        *guard;     /* valid while @task is set */
  GTask               *task;      /* NULL once given up */
  GAsyncReadyCallback  callback;
  KeyringStepFailed    failed;
};

static gboolean
on_keyring_grace_over (gpointer user_data)
{
  KeyringGuard *guard = user_data;
  KeyringStep *step = g_steal_pointer (&guard->pending);

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
keyring_guard_start_grace (KeyringGuard *guard)
{
  if (guard->grace != NULL || guard->pending == NULL)
    return;

  guard->grace = g_timeout_source_new (KEYRING_GRACE_MS);
  g_source_set_name (guard->grace, "[oneflow-link] keyring grace");
  g_source_set_callback (guard->grace, on_keyring_grace_over, guard, NULL);
  g_source_attach (guard->grace, guard->context);
}

/* Both run on the guard's own thread, the one whose context it was made
 * in: the timeout and the cancellation are sources of that context. */
static void
keyring_guard_fire (KeyringGuard *guard)
{
  guard->fired = TRUE;
  g_cancellable_cancel (guard->inner);
  keyring_guard_start_grace (guard);
}

static gboolean
on_keyring_timeout (gpointer user_data)
{
  KeyringGuard *guard = user_data;

  g_debug ("Keyring call timed out");
  guard->timed_out = TRUE;
  g_clear_pointer (&guard->timeout, g_source_unref);
  keyring_guard_fire (guard);

  return G_SOURCE_REMOVE;
}

static gboolean
on_outer_cancelled (GCancellable *outer,
                    gpointer      user_data)
{
  KeyringGuard *guard = user_data;

  g_clear_pointer (&guard->outer_cancelled, g_source_unref);
  keyring_guard_fire (guard);

  return G_SOURCE_REMOVE;
}

static KeyringGuard *
keyring_guard_new (KeyringOperation  operation,
                   GCancellable     *outer,
                   guint             timeout_seconds)
{
  KeyringGuard *guard = g_new0 (KeyringGuard, 1);

  guard->operation = operation;
  guard->inner = g_cancellable_new ();
  guard->context = g_main_context_ref_thread_default ();

  if (outer != NULL)
    {
      guard->outer = g_object_ref (outer);
      /* A source, not a handler: whoever cancels, the guard fires on its
       * own thread (the list runs on a worker's). */
      guard->outer_cancelled = g_cancellable_source_new (outer);
      g_source_set_name (guard->outer_cancelled, "[oneflow-link] keyring cancelled");
      g_source_set_callback (guard->outer_cancelled, G_SOURCE_FUNC (on_outer_cancelled), guard, NULL);
      g_source_attach (guard->outer_cancelled, guard->context);
    }

  guard->timeout_seconds = timeout_seconds;
  guard->timeout = g_timeout_source_new_seconds (timeout_seconds);
  g_source_set_name (guard->timeout, "[oneflow-link] keyring timeout");
  g_source_set_callback (guard->timeout, on_keyring_timeout, guard, NULL);
  g_source_attach (guard->timeout, guard->context);

  return guard;
}

static void destroy_source (GSource **source);

/* Gives the keyring its whole time-out again, after a wait that was not
 * the keyring's (the details lock). A guard the caller cancelled stays
 * cancelled. */
static void
keyring_guard_restart (KeyringGuard *guard)
{
  g_assert (guard->pending == NULL);

  if (guard->outer != NULL && g_cancellable_is_cancelled (guard->outer))
    return;

  if (guard->fired)
    {
      g_clear_object (&guard->inner);
      guard->inner = g_cancellable_new ();
      guard->fired = guard->timed_out = FALSE;
    }

  destroy_source (&guard->timeout);
  guard->timeout = g_timeout_source_new_seconds (guard->timeout_seconds);
  g_source_set_name (guard->timeout, "[oneflow-link] keyring timeout");
  g_source_set_callback (guard->timeout, on_keyring_timeout, guard, NULL);
  g_source_attach (guard->timeout, guard->context);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
keyring_guard_free (KeyringGuard *guard)
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

static void
on_keyring_step_answered (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  KeyringStep *step = user_data;
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
 * call's user data with on_keyring_step_answered() as its callback.
 * @callback then gets libsecret's answer and @task, as usual. */
static KeyringStep *
keyring_step_new (KeyringGuard        *guard,
                  GTask               *task,
                  GAsyncReadyCallback  callback,
                  KeyringStepFailed    failed)
{
  KeyringStep *step = g_new0 (KeyringStep, 1);

  g_assert (guard->pending == NULL);

  step->guard = guard;
  step->task = task;
  step->callback = callback;
  step->failed = failed;
  guard->pending = step;

  if (guard->fired)
    keyring_guard_start_grace (guard);

  return step;
}

/* Turns whatever libsecret said into the one error people see. Takes
 * @error, which may be NULL: libsecret reports some dismissed prompts as
 * a failure without an error. */
static GError *
keyring_guard_convert (KeyringGuard *guard,
                       GError       *error)
{
  g_autoptr(GError) owned = error;

  if (guard->outer != NULL && g_cancellable_is_cancelled (guard->outer))
    return g_error_new_literal (OFL_ERROR, OFL_ERROR_CANCELLED,
                                _("The keyring operation was cancelled."));

  /* Also a dismissed unlock prompt, which libsecret reports as
   * cancelled, and a time-out. Never a secret in these messages. */
  if (owned != NULL)
    g_debug ("Keyring error%s: %s %d: %s",
             guard->timed_out ? " (timed out)" : "",
             g_quark_to_string (owned->domain), owned->code, owned->message);
  else
    g_debug ("Keyring call failed without an error (a dismissed prompt?)");

  return new_keyring_error (guard->operation);
}

static GHashTable *
new_attributes (OflLink *link)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "email", g_strdup (ofl_link_get_email (link)));
  g_hash_table_insert (attributes, (gpointer) "account-id", g_strdup (ofl_link_get_account_id (link)));
  g_hash_table_insert (attributes, (gpointer) "api-url", g_strdup (ofl_link_get_api_url (link)));

  return attributes;
}

static char *
link_key (OflLink *link)
{
  return ofl_details_key (ofl_link_get_email (link),
                          ofl_link_get_account_id (link),
                          ofl_link_get_api_url (link));
}

/* links.json */

typedef struct {
  /* Keys of the links in the keyring; entries not in it are dropped
   * (NULL: read only, nothing is dropped). */
  GHashTable *keep;
  char       *upsert_key;
  JsonNode   *upsert;
  char       *remove_key;
  gboolean    write;
  /* What the write is for, for the message when it fails. */
  KeyringOperation operation;
  /* Out: the entry @upsert replaced, NULL if there was none. */
  JsonNode   *previous;
  /* Out: there was no file before this write. */
  gboolean    created;
  /* Delete the file rather than leave it holding no link. */
  gboolean    unlink_if_empty;
  /* The details lock is held: temporary files left are stale. */
  gboolean    locked;
} DetailsOp;

static void
details_op_free (DetailsOp *op)
{
  g_clear_pointer (&op->keep, g_hash_table_unref);
  g_clear_pointer (&op->upsert_key, g_free);
  g_clear_pointer (&op->upsert, json_node_unref);
  g_clear_pointer (&op->remove_key, g_free);
  g_clear_pointer (&op->previous, json_node_unref);
  g_free (op);
}

/* Why links.json could not be written, for the advice that goes with it. */
typedef enum {
  DETAILS_PROBLEM_OTHER,
  DETAILS_PROBLEM_NO_SPACE,
  /* Past the process's file size limit (ulimit -f). */
  DETAILS_PROBLEM_TOO_LARGE,
  /* links.json is a FIFO, a device or a folder: never written through. */
  DETAILS_PROBLEM_NOT_REGULAR,
  /* Another process held the details lock for too long. */
  DETAILS_PROBLEM_BUSY,
} DetailsProblem;

/* An OflError, like every error of the store, that says which file could
 * not be written and why, without the temporary file's name. */
static GError *
new_details_error (KeyringOperation  operation,
                   const char       *path,
                   DetailsProblem    problem,
                   const GError     *cause)
{
  const char *why = cause != NULL ? cause->message : "";
  g_autofree char *what = NULL;
  const char *advice;

  if (cause != NULL && cause->domain == G_FILE_ERROR)
    switch (cause->code)
      {
      case G_FILE_ERROR_NOSPC:
        why = g_strerror (ENOSPC);
        break;
      case G_FILE_ERROR_ACCES:
        why = g_strerror (EACCES);
        break;
      case G_FILE_ERROR_PERM:
        why = g_strerror (EPERM);
        break;
      case G_FILE_ERROR_ROFS:
        why = g_strerror (EROFS);
        break;
      case G_FILE_ERROR_IO:
        why = g_strerror (EIO);
        break;
      default:
        break;
      }

  switch (problem)
    {
    case DETAILS_PROBLEM_NO_SPACE:
      advice = _("Free some disk space, then try again.");
      break;
    case DETAILS_PROBLEM_TOO_LARGE:
      why = g_strerror (EFBIG);
      advice = _("The file size limit of this session (“ulimit -f”) is too small for it: "
                 "raise the limit, then try again.");
      break;
    case DETAILS_PROBLEM_NOT_REGULAR:
      /* Translators: why links.json could not be written, in brackets */
      why = _("it is not a regular file");
      advice = _("Move it out of the way (Oneflow Link then makes a new one), then try again.");
      break;
    case DETAILS_PROBLEM_BUSY:
      /* Translators: why links.json could not be written, in brackets */
      why = _("another Oneflow Link kept it locked for too long");
      advice = _("Wait until the other Oneflow Link has finished, then try again.");
      break;
    case DETAILS_PROBLEM_OTHER:
    default:
      advice = _("Check that the folder can be written, or ask your IT support, then try again.");
      break;
    }

  switch (operation)
    {
    case KEYRING_SAVE:
      /* Translators: the first %s is a file, the second why it could not be written */
      what = g_strdup_printf (_("Could not write the link details to %s (%s), so the link was not "
                                "saved and the keyring was not changed."),
                              path, why);
      break;
    case KEYRING_REMOVE:
      /* Translators: the first %s is a file, the second why it could not be written */
      what = g_strdup_printf (_("Could not write the link details to %s (%s), so the link was not removed."),
                              path, why);
      break;
    default:
      /* Translators: the first %s is a file, the second why it could not be written */
      what = g_strdup_printf (_("Could not write the link details to %s (%s), so the result of the "
                                "check was not saved."),
                              path, why);
      break;
    }

  return g_error_new (OFL_ERROR, OFL_ERROR_DETAILS_NOT_SAVED, "%s %s", what, advice);
}

/* Reads links.json into key → JsonNode (an object). A missing or
 * damaged file reads as empty: it only holds details. Neither a FIFO
 * (which would block the open and the read), a device nor a huge file
 * is read at all. */
static GHashTable *
read_details (const char *path)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      if (errno != ENOENT)
        g_debug ("Ignoring unreadable %s: %s", path, g_strerror (errno));
      return ofl_details_parse (NULL, 0);
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > OFL_DETAILS_MAX_SIZE)
    {
      g_debug ("Ignoring %s: not a regular file of a sane size", path);
      close (fd);
      return ofl_details_parse (NULL, 0);
    }

  /* One byte more than the cap tells a file that grew past it. */
  data = g_malloc ((gsize) st.st_size + 1);
  while (length < (gsize) st.st_size + 1)
    {
      gssize n = read (fd, data + length, (gsize) st.st_size + 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_debug ("Ignoring unreadable %s: %s", path, g_strerror (errno));
          length = 0;
          break;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);

  if (length > (gsize) st.st_size)
    {
      g_debug ("Ignoring %s: it changed while being read", path);
      length = 0;
    }

  return ofl_details_parse (data, length);
}

/* A write cut short (SIGTERM, power loss) leaves g_file_set_contents()'s
 * temporary "links.json.XXXXXX" behind; links.json itself is intact.
 * Sweep those before the next write, only under the details lock: every
 * writer holds it, so no other process's temporary file is in flight. */
static void
remove_stale_temporary_files (const char *dir,
                              const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".", NULL);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      if (g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 6)
        {
          g_autofree char *stale = g_build_filename (dir, name, NULL);
          g_unlink (stale);
        }
    }
}

static gboolean
write_details (const char      *path,
               GHashTable      *entries,
               gboolean         locked,
               DetailsProblem  *problem,
               GError         **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  struct rlimit limit;
  struct stat st;
  gsize length;

  *problem = DETAILS_PROBLEM_OTHER;
  data = ofl_details_serialize (entries, &length);

  /* Something else was put there on purpose: never replace it. A
   * symlink to a regular file is followed, as g_file_set_contents()
   * does. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      *problem = DETAILS_PROBLEM_NOT_REGULAR;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "not a regular file");
      return FALSE;
    }

  /* SIGXFSZ is ignored (main.c), so a write past the limit would fail
   * with EFBIG; saying so before writing names the cause. */
  if (getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      (rlim_t) length > limit.rlim_cur)
    {
      *problem = DETAILS_PROBLEM_TOO_LARGE;
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, g_strerror (EFBIG));
      return FALSE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (locked)
    remove_stale_temporary_files (dir, path);

  /* Temporary file, fsync and rename: never a half-written file. */
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      if (g_error_matches (*error, G_FILE_ERROR, G_FILE_ERROR_NOSPC))
        *problem = DETAILS_PROBLEM_NO_SPACE;
      else if (strstr ((*error)->message, g_strerror (EFBIG)) != NULL)
        *problem = DETAILS_PROBLEM_TOO_LARGE;
      return FALSE;
    }

  return TRUE;
}

static void
details_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OflStore *self = source_object;
  DetailsOp *op = task_data;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;
  DetailsProblem problem = DETAILS_PROBLEM_OTHER;
  GHashTableIter iter;
  gpointer key;
  struct stat st;

  g_mutex_lock (&self->details_mutex);

  op->created = g_stat (self->details_path, &st) != 0;
  entries = read_details (self->details_path);

  if (op->remove_key != NULL)
    g_hash_table_remove (entries, op->remove_key);

  if (op->keep != NULL)
    {
      g_hash_table_iter_init (&iter, entries);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (op->keep, key))
          g_hash_table_iter_remove (&iter);
    }

  if (op->upsert_key != NULL)
    {
      JsonNode *previous = g_hash_table_lookup (entries, op->upsert_key);

      g_clear_pointer (&op->previous, json_node_unref);
      op->previous = previous ? json_node_copy (previous) : NULL;
      if (op->upsert != NULL)
        g_hash_table_replace (entries, g_strdup (op->upsert_key), json_node_ref (op->upsert));
    }

  if (op->write && op->unlink_if_empty && g_hash_table_size (entries) == 0)
    {
      if (g_unlink (self->details_path) != 0 && errno != ENOENT)
        g_debug ("Could not remove %s: %s", self->details_path, g_strerror (errno));
    }
  else if (op->write && !write_details (self->details_path, entries, op->locked, &problem, &error))
    {
      g_mutex_unlock (&self->details_mutex);
      g_debug ("Could not write %s: %s", self->details_path, error->message);
      g_task_return_error (task, new_details_error (op->operation, self->details_path, problem, error));
      return;
    }

  g_mutex_unlock (&self->details_mutex);

  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_hash_table_unref);
}

/* Takes @op. The details file is local and small, but it still goes to
 * a thread so no caller ever blocks on a slow home directory. */
static void
details_run_async (OflStore            *self,
                   DetailsOp           *op,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, details_run_async);
  g_task_set_task_data (task, op, (GDestroyNotify) details_op_free);
  g_task_run_in_thread (task, details_thread);
}

static GHashTable *
details_run_finish (OflStore      *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keys of every item of our schema, from a search result. */
static GHashTable *
keys_from_items (GList *items)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *email = g_hash_table_lookup (attributes, "email");

      if (email == NULL)
        continue;
      g_hash_table_add (keys, ofl_details_key (email,
                                        g_hash_table_lookup (attributes, "account-id"),
                                        g_hash_table_lookup (attributes, "api-url")));
    }

  return keys;
}

/* A write of the details that prunes them to what the keyring holds,
 * @items from a search of our schema. */
static DetailsOp *
details_op_new_pruning (KeyringOperation  operation,
                        GList            *items)
{
  DetailsOp *op = g_new0 (DetailsOp, 1);

  op->operation = operation;
  op->keep = keys_from_items (items);
  op->write = TRUE;

  return op;
}

/* Whether the collection links are saved in is locked. A keyring loaded
 * locked (a login without the password, or the daemon started again)
 * hides which items are ours until it is unlocked: gnome-keyring then
 * matches none of them by schema. Finding nothing in a locked keyring
 * says nothing, and must never read as "no links" (nor prune the
 * details). Never prompts; any trouble asking reads as "not locked",
 * as before. libsecret's file backend has no locked state. */
static void
locked_alias_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not tell whether the keyring is locked: %s", error->message);

  g_task_return_boolean (task, collection != NULL && secret_collection_get_locked (collection));
}

static void
locked_service_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_debug ("Could not tell whether the keyring is locked: %s", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               cancellable, locked_alias_cb,
                               g_steal_pointer (&task));
}

static void
default_collection_locked_async (KeyringGuard        *guard,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, guard->inner, callback, user_data);

  g_task_set_source_tag (task, default_collection_locked_async);
  /* An answer of "not locked" when cancelled: the caller's guard reports
   * the time-out itself. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  secret_service_get (SECRET_SERVICE_NONE, guard->inner, locked_service_cb, g_steal_pointer (&task));
}

static gboolean
default_collection_locked_finish (GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
free_items (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

/* A GList of SecretRetrievable, as search_all_finish () gives. */
typedef GList ItemList;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ItemList, free_items)

/* A search of our schema, every item, locked ones too, without unlocking
 * (attributes are readable without it: no prompt for a list).
 *
 * Not secret_password_search() on the Secret Service: libsecret 0.21
 * loads each item it found, and when one is deleted meanwhile (another
 * process's --unlink or re-link), it fails the whole search and then
 * returns its task a second time ("GLib-GIO-CRITICAL … !task->
 * ever_returned"). Here an item that is gone by the time it is loaded is
 * simply not found; any other failure fails the search, once. */

typedef struct {
  GList    *items;
  guint     loading;
  GError   *error;
  /* The paths the service found locked. */
  GStrv     locked;
} SearchAll;

static void
search_all_free (SearchAll *search)
{
  g_clear_pointer (&search->locked, g_strfreev);
  g_list_free_full (search->items, g_object_unref);
  g_clear_error (&search->error);
  g_free (search);
}

static void
search_all_complete (GTask *task)
{
  SearchAll *search = g_task_get_task_data (task);

  if (search->error != NULL)
    g_task_return_error (task, g_steal_pointer (&search->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&search->items), (GDestroyNotify) free_items);
}

static gboolean
item_is_gone (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY);
}

/* Set on an item the search found locked. */
#define ITEM_FOUND_LOCKED "ofl-store-found-locked"

static void
search_item_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchAll *search = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SecretItem *item;
  const char *path;

  item = secret_item_new_for_dbus_path_finish (result, &error);
  if (item != NULL)
    {
      path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (item));
      if (search->locked != NULL && g_strv_contains ((const char * const *) search->locked, path))
        g_object_set_data (G_OBJECT (item), ITEM_FOUND_LOCKED, GINT_TO_POINTER (TRUE));
      search->items = g_list_prepend (search->items, item);
    }
  else if (item_is_gone (error))
    g_debug ("A keyring item was removed while being listed: %s", error->message);
  else if (search->error == NULL)
    search->error = g_steal_pointer (&error);

  if (--search->loading == 0)
    search_all_complete (task);
}

static void
search_paths_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretService *service = SECRET_SERVICE (object);
  SearchAll *search = g_task_get_task_data (task);
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  GError *error = NULL;

  if (!secret_service_search_for_dbus_paths_finish (service, result, &unlocked, &locked, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* One more, so no answer completes the search before all are asked. */
  search->loading = 1;
  for (GStrv paths = unlocked; paths != NULL && *paths != NULL; paths++)
    {
      search->loading++;
      secret_item_new_for_dbus_path (service, *paths, SECRET_ITEM_NONE, g_task_get_cancellable (task),
                                     search_item_loaded_cb, g_object_ref (task));
    }
  search->locked = g_strdupv (locked);
  for (GStrv paths = locked; paths != NULL && *paths != NULL; paths++)
    {
      search->loading++;
      secret_item_new_for_dbus_path (service, *paths, SECRET_ITEM_NONE, g_task_get_cancellable (task),
                                     search_item_loaded_cb, g_object_ref (task));
    }

  if (--search->loading == 0)
    search_all_complete (task);
}

static void
search_service_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretService) service = NULL;
  GHashTable *attributes = g_object_get_data (G_OBJECT (task), "attributes");
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  secret_service_search_for_dbus_paths (service, ofl_store_get_schema (), attributes,
                                        cancellable, search_paths_cb, g_steal_pointer (&task));
}

static void
search_file_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) free_items);
}

/* Items of our schema with @attributes (NULL: all of them). */
static void
search_all_async (OflStore            *self,
                  KeyringGuard        *guard,
                  GHashTable          *attributes,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, guard->inner, callback, user_data);

  g_task_set_source_tag (task, search_all_async);
  /* The guard reports a cancelled search itself. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_new0 (SearchAll, 1), (GDestroyNotify) search_all_free);
  g_object_set_data_full (G_OBJECT (task), "attributes",
                          attributes != NULL ? g_hash_table_ref (attributes)
                                             : g_hash_table_new (g_str_hash, g_str_equal),
                          (GDestroyNotify) g_hash_table_unref);

  /* libsecret uses its file backend with SECRET_BACKEND=file, and in a
   * Flatpak or a snap when the Secret portal answers (its own rule, which
   * it does not export): not a Secret Service, and no such race (one
   * process's file). There, its own search, so that both agree. */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0 ||
      g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
      g_getenv ("SNAP_NAME") != NULL)
    {
      GHashTable *all = g_object_get_data (G_OBJECT (task), "attributes");

      secret_password_searchv (ofl_store_get_schema (), all, SECRET_SEARCH_ALL, guard->inner,
                               search_file_cb, g_steal_pointer (&task));
    }
  else
    secret_service_get (SECRET_SERVICE_NONE, guard->inner, search_service_cb, g_steal_pointer (&task));
}

/* A GList of SecretRetrievable (free with free_items ()), or NULL with
 * @error set; NULL without an error is no item. */
static GList *
search_all_finish (GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object */

static void
ofl_store_finalize (GObject *object)
{
  OflStore *self = (OflStore *) object;

  g_clear_pointer (&self->details_path, g_free);
  g_mutex_clear (&self->details_mutex);

  G_OBJECT_CLASS (ofl_store_parent_class)->finalize (object);
}

static void
ofl_store_class_init (OflStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ofl_store_finalize;
}

static void
ofl_store_init (OflStore *self)
{
  g_mutex_init (&self->details_mutex);
  self->timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
}

OflStore *
ofl_store_new (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (),
                                            "oneflow-link", "links.json", NULL);

  return ofl_store_new_for_details_path (path);
}

OflStore *
ofl_store_new_for_details_path (const char *path)
{
  OflStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (OFL_TYPE_STORE, NULL);
  self->details_path = g_strdup (path);

  return self;
}

void
ofl_store_set_timeout (OflStore *self,
                       guint     seconds)
{
  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
}

/* Save: write the details first, then store the secret (replacing one
 * with the same attributes), then prune the details to what the keyring
 * holds. A details file that cannot be written (a full disk) fails the
 * save before the keyring is touched; a keyring that fails puts the
 * details back as they were. Either way the link stays as it was. */

typedef struct {
  KeyringGuard *guard;
  OflLink      *link;
  gboolean      removed;
  /* Save: the token, until it is handed to the keyring. */
  OflSecret    *token;
  /* Save: the details entry the new one replaced, to put back, and
   * whether the details file was made for it. */
  JsonNode     *previous;
  gboolean      created_details;
  GError       *keyring_error;
  /* The details lock (see op_lock_async ()), -1 when not held. */
  int           lock_fd;
  /* What the operation does once it holds the lock. */
  void        (*locked) (GTask *task);
  gint64        lock_deadline;
  /* Lookup: how many times the item went away while being read. */
  guint         lookups;
} OpData;

static void
op_data_free (OpData *data)
{
  g_clear_pointer (&data->guard, keyring_guard_free);
  g_clear_object (&data->link);
  g_clear_pointer (&data->token, ofl_secret_free);
  g_clear_pointer (&data->previous, json_node_unref);
  g_clear_error (&data->keyring_error);
  /* Closing the file releases the lock. */
  if (data->lock_fd >= 0)
    close (data->lock_fd);
  g_free (data);
}

static OpData *
op_data_new (OflStore         *self,
             KeyringOperation  operation,
             OflLink          *link,
             GCancellable     *cancellable)
{
  OpData *data = g_new0 (OpData, 1);

  data->guard = keyring_guard_new (operation, cancellable, self->timeout_seconds);
  data->link = link ? g_object_ref (link) : NULL;
  data->lock_fd = -1;

  return data;
}

/* A KeyringStepFailed for an operation with nothing to put back. */
static void
op_return_keyring_error (GTask  *task,
                         GError *error)
{
  OpData *data = g_task_get_task_data (task);

  g_task_return_error (task, keyring_guard_convert (data->guard, error));
  g_object_unref (task);
}

/* The link was not found: in a locked keyring that says nothing, so it
 * is the keyring error; otherwise there is no such link. */
static void
op_locked_or_missing_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);

  if (default_collection_locked_finish (result))
    g_task_return_error (task, keyring_guard_convert (data->guard, NULL));
  else
    g_task_return_error (task, new_no_such_link_error (data->link));
}

/* The finish of an operation that only succeeds or fails. */
static gboolean
finish_boolean (OflStore      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (OFL_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A task of the store: errors, cancelling included, always come back as
 * OflErrors (the keyring guard makes them), never as GIO's. */
static GTask *
store_task_new (OflStore            *self,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

static void
op_release_lock (GTask      *task,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  OpData *data = g_task_get_task_data (task);

  /* Closing the file releases the lock. */
  if (data->lock_fd >= 0)
    close (data->lock_fd);
  data->lock_fd = -1;
}

/* One store operation's task, with the keyring guard bounding its wait. */
static GTask *
op_task_new (OflStore            *self,
             gpointer             source_tag,
             KeyringOperation     operation,
             OflLink             *link,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = store_task_new (self, source_tag, cancellable, callback, user_data);

  g_task_set_task_data (task, op_data_new (self, operation, link, cancellable),
                        (GDestroyNotify) op_data_free);
  /* The caller may keep the result for long: the lock goes as soon as
   * the operation has returned, not with the task. */
  g_signal_connect (task, "notify::completed", G_CALLBACK (op_release_lock), NULL);

  return task;
}

/* The details lock: "links.json.lock" beside links.json, flock()ed by
 * every operation that writes the details, from its first look at the
 * keyring or the file to its last write. Parallel runs (two --link, a
 * --check, an --unlink) then neither prune nor overwrite what another
 * has not finished, and the sweep of temporary files only ever sees
 * stale ones. The file is opened on a worker thread (no caller blocks
 * on a slow home directory); the lock is then tried without blocking
 * from the operation's own main context, and given up after longer than
 * any holder keeps it: one keyring time-out, its grace, and the writes. */

#define LOCK_POLL_MS 20
#define LOCK_MARGIN_SECONDS 5

static void
lock_open_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OflStore *self = source_object;
  g_autofree char *dir = g_path_get_dirname (self->details_path);
  g_autofree char *path = g_strconcat (self->details_path, ".lock", NULL);
  int fd = -1;

  /* Without a lock file (a read-only folder) the writes that follow
   * fail on their own, each with its own message. */
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600)) < 0)
    g_debug ("Working without the details lock %s: %s", path, g_strerror (errno));

  g_task_return_int (task, fd);
}

static gboolean op_try_lock (gpointer user_data);

static void
op_lock_failed (GTask          *task,
                DetailsProblem  problem)
{
  OflStore *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);

  close (data->lock_fd);
  data->lock_fd = -1;

  if (problem == DETAILS_PROBLEM_OTHER)
    g_task_return_error (task, keyring_guard_convert (data->guard, NULL));
  else
    g_task_return_error (task, new_details_error (data->guard->operation, self->details_path,
                                                  problem, NULL));
  g_object_unref (task);
}

/* Takes @user_data, the operation's task. */
static gboolean
op_try_lock (gpointer user_data)
{
  GTask *task = user_data;
  OpData *data = g_task_get_task_data (task);

  if (flock (data->lock_fd, LOCK_EX | LOCK_NB) == 0)
    {
      keyring_guard_restart (data->guard);
      data->locked (task);
      return G_SOURCE_REMOVE;
    }

  if (errno != EWOULDBLOCK && errno != EINTR)
    {
      g_debug ("Working without the details lock: %s", g_strerror (errno));
      close (data->lock_fd);
      data->lock_fd = -1;
      data->locked (task);
    }
  else if (data->guard->outer != NULL && g_cancellable_is_cancelled (data->guard->outer))
    op_lock_failed (task, DETAILS_PROBLEM_OTHER);
  else if (g_get_monotonic_time () >= data->lock_deadline)
    op_lock_failed (task, DETAILS_PROBLEM_BUSY);
  else
    {
      g_autoptr(GSource) source = g_timeout_source_new (LOCK_POLL_MS);

      g_source_set_name (source, "[oneflow-link] details lock");
      g_source_set_callback (source, op_try_lock, task, NULL);
      g_source_attach (source, data->guard->context);
    }

  return G_SOURCE_REMOVE;
}

static void
op_lock_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  OflStore *self = OFL_STORE (object);
  OpData *data = g_task_get_task_data (task);

  data->lock_fd = g_task_propagate_int (G_TASK (result), NULL);
  if (data->lock_fd < 0)
    {
      data->locked (task);
      return;
    }

  data->lock_deadline = g_get_monotonic_time () +
                        (self->timeout_seconds + KEYRING_GRACE_MS / 1000 + LOCK_MARGIN_SECONDS) * G_USEC_PER_SEC;
  op_try_lock (task);
}

/* Takes @task, an operation's; runs @locked with it once the details
 * lock is held (or cannot be had at all). */
static void
op_lock_async (GTask  *task,
               void  (*locked) (GTask *task))
{
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GTask) open_task = g_task_new (g_task_get_source_object (task), NULL,
                                           op_lock_opened_cb, task);

  data->locked = locked;
  g_task_set_source_tag (open_task, op_lock_async);
  g_task_run_in_thread (open_task, lock_open_thread);
}

/* Runs @op for an operation that holds the details lock; takes @task. */
static void
op_details_run (GTask               *task,
                DetailsOp           *op,
                GAsyncReadyCallback  callback)
{
  OpData *data = g_task_get_task_data (task);

  op->locked = data->lock_fd >= 0;
  details_run_async (g_task_get_source_object (task), op, callback, task);
}

static void
save_pruned_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;

  /* The link and its details are saved; pruning others can wait for
   * the next write. */
  entries = details_run_finish (OFL_STORE (object), result, &error);
  if (entries == NULL)
    g_debug ("Could not prune the link details: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
save_search_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(ItemList) items = NULL;
  g_autoptr(GError) error = NULL;
  DetailsOp *op;

  items = search_all_finish (result, &error);
  if (error != NULL)
    {
      /* Saved, but the keyring could not be listed: prune nothing. */
      g_debug ("Could not list the keyring after saving: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op = details_op_new_pruning (KEYRING_SAVE, items);
  g_hash_table_add (op->keep, link_key (data->link));

  op_details_run (g_steal_pointer (&task), op, save_pruned_cb);
}

static void
save_restored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = details_run_finish (OFL_STORE (object), result, &error);
  if (entries == NULL)
    g_debug ("Could not put the link details back: %s", error->message);

  g_task_return_error (task, g_steal_pointer (&data->keyring_error));
}

/* Whether a failed store call may still have stored the token: the
 * daemon died with the call on its way (and maybe done), as opposed to
 * a keyring that was never there, said no, or never answered (a
 * time-out: a hung daemon or a prompt no one answers stores nothing
 * while it hangs). */
static gboolean
store_outcome_unknown (KeyringGuard *guard,
                       const GError *error)
{
  if (guard->timed_out || (guard->outer != NULL && g_cancellable_is_cancelled (guard->outer)))
    return FALSE;

  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

/* The keyring kept what it had (or did not answer): so do the details.
 * Takes @task and @error. */
static void
save_put_details_back (GTask  *task,
                       GError *error)
{
  OpData *data = g_task_get_task_data (task);
  DetailsOp *op;

  if (store_outcome_unknown (data->guard, error))
    {
      g_debug ("The keyring stopped answering during the store: %s",
               error != NULL ? error->message : "no answer");
      g_clear_error (&error);
      data->keyring_error = new_keyring_error (KEYRING_SAVE_UNKNOWN);

      /* A new link keeps its details: if the keyring did store the
       * token, the link is whole; if not, they belong to no item, are
       * never shown, and go with the next write. (A re-link's details
       * are put back: they are the same link's.) */
      if (data->previous == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&data->keyring_error));
          g_object_unref (task);
          return;
        }
    }
  else
    data->keyring_error = keyring_guard_convert (data->guard, error);

  op = g_new0 (DetailsOp, 1);
  op->operation = KEYRING_SAVE;
  op->upsert_key = link_key (data->link);
  if (data->previous != NULL)
    op->upsert = json_node_ref (data->previous);
  else
    op->remove_key = link_key (data->link);
  op->unlink_if_empty = data->created_details;
  op->write = TRUE;

  op_details_run (task, op, save_restored_cb);
}

static void
save_store_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStore *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    search_all_async (self, data->guard, NULL, save_search_cb, g_steal_pointer (&task));
  else
    save_put_details_back (g_steal_pointer (&task), error);
}

static char *
make_label (OflLink *link)
{
  const char *account = ofl_link_get_account_name (link);

  if (account != NULL && *account != '\0')
    /* Translators: the keyring item's name, as Seahorse shows it.
     * The first %s is an email, the second a Oneflow account name. */
    return g_strdup_printf (_("Oneflow API token for %s (%s)"),
                            ofl_link_get_email (link), account);

  /* Translators: the keyring item's name; %s is an email */
  return g_strdup_printf (_("Oneflow API token for %s"), ofl_link_get_email (link));
}

static void
save_details_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  DetailsOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  entries = details_run_finish (OFL_STORE (object), result, &error);
  if (entries == NULL)
    {
      /* Nothing was changed: the keyring was not touched. */
      g_task_return_error (task, error);
      return;
    }

  data->previous = g_steal_pointer (&op->previous);
  data->created_details = op->created;

  attributes = new_attributes (data->link);
  label = make_label (data->link);

  /* Same attributes: libsecret replaces the item in one call. libsecret
   * copies the token into its own wiped memory. */
  secret_password_storev (ofl_store_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, data->token, data->guard->inner,
                          on_keyring_step_answered,
                          keyring_step_new (data->guard, g_steal_pointer (&task),
                                            save_store_cb, save_put_details_back));
  g_clear_pointer (&data->token, ofl_secret_free);
}

static void
save_locked (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  DetailsOp *op;

  /* The details first, without pruning anything: a disk that cannot
   * take them fails the save here, with the keyring untouched. */
  op = g_new0 (DetailsOp, 1);
  op->operation = KEYRING_SAVE;
  op->upsert_key = link_key (data->link);
  op->upsert = ofl_link_to_json (data->link);
  op->write = TRUE;

  op_details_run (task, op, save_details_cb);
}

void
ofl_store_save_async (OflStore            *self,
                      OflLink             *link,
                      const char          *token,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ofl_store_save_async, KEYRING_SAVE, link, cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->token = ofl_secret_dup (token);

  op_lock_async (g_steal_pointer (&task), save_locked);
}

gboolean
ofl_store_save_finish (OflStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return finish_boolean (self, result, ofl_store_save_async, error);
}

/* Lookup */

static gboolean
any_item_locked (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    if (!SECRET_IS_ITEM (l->data) || secret_item_get_locked (l->data) ||
        g_object_get_data (l->data, ITEM_FOUND_LOCKED) != NULL)
      return TRUE;
  return FALSE;
}

static void lookup_start (GTask *task);

static void
lookup_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(ItemList) items = NULL;
  g_autoptr(GError) error = NULL;

  items = search_all_finish (result, &error);
  if (error == NULL && items != NULL && !any_item_locked (items) && data->lookups++ < 3)
    {
      /* Not there when read, there now, and readable: another process
       * linked it again meanwhile. Read it again. */
      g_debug ("The keyring item came back while being read");
      lookup_start (g_steal_pointer (&task));
    }
  else if (error != NULL || items != NULL)
    g_task_return_error (task, keyring_guard_convert (data->guard, g_steal_pointer (&error)));
  else
    default_collection_locked_async (data->guard, op_locked_or_missing_cb, g_steal_pointer (&task));
}

static void lookup_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data);

/* Takes @task. */
static void
lookup_start (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = new_attributes (data->link);

  secret_password_lookupv (ofl_store_get_schema (), attributes, data->guard->inner,
                           on_keyring_step_answered,
                           keyring_step_new (data->guard, task, lookup_cb, op_return_keyring_error));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *password;
  OflSecret *secret;

  password = secret_password_lookup_finish (result, &error);
  /* The item went away between libsecret finding it and reading it
   * (another process's --unlink or re-link): look again, a few times. */
  if ((item_is_gone (error) || g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)) &&
      data->lookups++ < 3)
    {
      g_debug ("The keyring item went away while being read: %s", error->message);
      lookup_start (g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, keyring_guard_convert (data->guard, g_steal_pointer (&error)));
      return;
    }

  if (password == NULL)
    {
      g_autoptr(GHashTable) attributes = new_attributes (data->link);
      OflStore *self = g_task_get_source_object (task);

      /* Nothing, or an item that stayed locked because its unlock
       * prompt was dismissed: only a search without unlocking tells. */
      search_all_async (self, data->guard, attributes, lookup_search_cb, g_steal_pointer (&task));
      return;
    }

  /* libsecret's copy lives in its secure memory; ours is wiped on free. */
  secret = ofl_secret_dup (password);
  secret_password_free (password);

  g_task_return_pointer (task, secret, (GDestroyNotify) ofl_secret_free);
}

void
ofl_store_lookup_token_async (OflStore            *self,
                              OflLink             *link,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ofl_store_lookup_token_async, KEYRING_LOOKUP, link, cancellable, callback, user_data);
  lookup_start (g_steal_pointer (&task));
}

OflSecret *
ofl_store_lookup_token_finish (OflStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (OFL_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_store_lookup_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* List: the keyring's items, merged with their details */

typedef struct {
  KeyringGuard *guard;
  GList        *items;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->guard, keyring_guard_free);
  g_clear_pointer (&data->items, free_items);
  g_free (data);
}

static void
list_details_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListStore) links = g_list_store_new (OFL_TYPE_LINK);
  g_autoptr(GError) error = NULL;

  entries = details_run_finish (OFL_STORE (object), result, &error);
  if (entries == NULL)
    g_debug ("Could not read the link details: %s", error->message);

  for (GList *l = data->items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *email = g_hash_table_lookup (attributes, "email");
      const char *account_id = g_hash_table_lookup (attributes, "account-id");
      const char *api_url = g_hash_table_lookup (attributes, "api-url");
      g_autoptr(OflLink) link = NULL;
      g_autofree char *key = NULL;
      JsonNode *details;

      /* Not one of ours, whatever put it there. */
      if (email == NULL || *email == '\0')
        continue;

      link = ofl_link_new (email, account_id ? account_id : "", api_url ? api_url : "");
      key = link_key (link);
      if (g_hash_table_contains (seen, key))
        continue;

      details = entries ? g_hash_table_lookup (entries, key) : NULL;
      if (details != NULL)
        ofl_link_apply_json (link, json_node_get_object (details));

      g_list_store_insert_sorted (links, link, ofl_link_compare, NULL);
      g_hash_table_add (seen, g_steal_pointer (&key));
    }

  g_task_return_pointer (task, g_steal_pointer (&links), g_object_unref);
}

static void
list_locked_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStore *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);

  if (default_collection_locked_finish (result))
    {
      g_task_return_error (task, keyring_guard_convert (data->guard, NULL));
      return;
    }

  details_run_async (self, g_new0 (DetailsOp, 1), list_details_cb, g_steal_pointer (&task));
}

static void
list_search_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStore *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  DetailsOp *op;

  data->items = search_all_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_guard_convert (data->guard, g_steal_pointer (&error)));
      return;
    }

  if (data->items == NULL)
    {
      default_collection_locked_async (data->guard, list_locked_cb, g_steal_pointer (&task));
      return;
    }

  op = g_new0 (DetailsOp, 1);
  details_run_async (self, op, list_details_cb, g_steal_pointer (&task));
}

static void
list_here_async (OflStore            *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = store_task_new (self, list_here_async, cancellable, callback, user_data);
  ListData *data;

  data = g_new0 (ListData, 1);
  data->guard = keyring_guard_new (KEYRING_LIST, cancellable, self->timeout_seconds);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  search_all_async (self, data->guard, NULL, list_search_cb, g_steal_pointer (&task));
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The keyring takes several round trips to list the links, and each
 * answer used to wait for the main loop, which at start-up is busy
 * building and drawing the window. On a thread of its own, with its own
 * context, the list is ready by the time the window first draws. */
static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *links;
  GError *error = NULL;

  g_main_context_push_thread_default (context);
  list_here_async (source_object, cancellable, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  links = g_task_propagate_pointer (G_TASK (result), &error);
  if (links != NULL)
    g_task_return_pointer (task, links, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
ofl_store_list_async (OflStore            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = store_task_new (self, ofl_store_list_async, cancellable, callback, user_data);
  g_task_run_in_thread (task, list_thread);
}

GListModel *
ofl_store_list_finish (OflStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (OFL_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ofl_store_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Remove: the secret first (that is what makes the link exist), then
 * its details. */

static void
remove_details_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = details_run_finish (OFL_STORE (object), result, &error);
  if (entries == NULL)
    g_debug ("Could not remove the link details: %s", error->message);

  if (!data->removed)
    g_task_return_error (task, new_no_such_link_error (data->link));
  else
    g_task_return_boolean (task, TRUE);
}

static void remove_search_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
remove_locked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStore *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);

  if (default_collection_locked_finish (result))
    {
      /* Nothing was removed, and nothing is known: keep the details. */
      g_task_return_error (task, keyring_guard_convert (data->guard, NULL));
      return;
    }

  search_all_async (self, data->guard, NULL, remove_search_cb, g_steal_pointer (&task));
}

static void
remove_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(ItemList) items = NULL;
  g_autoptr(GError) error = NULL;
  DetailsOp *op;

  items = search_all_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not list the keyring after removing: %s", error->message);

  op = details_op_new_pruning (KEYRING_REMOVE, items);
  /* The keyring could not be listed: prune nothing else. */
  if (error != NULL)
    g_clear_pointer (&op->keep, g_hash_table_unref);
  op->remove_key = link_key (data->link);

  op_details_run (g_steal_pointer (&task), op, remove_details_cb);
}

static void
remove_clear_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflStore *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_guard_convert (data->guard, g_steal_pointer (&error)));
      return;
    }

  if (!data->removed)
    {
      default_collection_locked_async (data->guard, remove_locked_cb, g_steal_pointer (&task));
      return;
    }

  search_all_async (self, data->guard, NULL, remove_search_cb, g_steal_pointer (&task));
}

static void
remove_locked (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = new_attributes (data->link);

  secret_password_clearv (ofl_store_get_schema (), attributes, data->guard->inner,
                          on_keyring_step_answered,
                          keyring_step_new (data->guard, task,
                                            remove_clear_cb, op_return_keyring_error));
}

void
ofl_store_remove_async (OflStore            *self,
                        OflLink             *link,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ofl_store_remove_async, KEYRING_REMOVE, link, cancellable, callback, user_data);
  op_lock_async (g_steal_pointer (&task), remove_locked);
}

gboolean
ofl_store_remove_finish (OflStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (self, result, ofl_store_remove_async, error);
}

/* Update: details only, for a link the keyring still holds */

static void
update_details_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) entries = NULL;
  GError *error = NULL;

  entries = details_run_finish (OFL_STORE (object), result, &error);
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}


static void
update_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(ItemList) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  DetailsOp *op;

  items = search_all_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_guard_convert (data->guard, g_steal_pointer (&error)));
      return;
    }

  op = details_op_new_pruning (KEYRING_UPDATE, items);

  key = link_key (data->link);
  if (!g_hash_table_contains (op->keep, key))
    {
      /* Removed meanwhile, or hidden by a keyring loaded locked. */
      details_op_free (op);
      default_collection_locked_async (data->guard, op_locked_or_missing_cb, g_steal_pointer (&task));
      return;
    }

  op->upsert_key = g_steal_pointer (&key);
  op->upsert = ofl_link_to_json (data->link);

  op_details_run (g_steal_pointer (&task), op, update_details_cb);
}

static void
update_locked (GTask *task)
{
  OpData *data = g_task_get_task_data (task);

  search_all_async (g_task_get_source_object (task), data->guard, NULL, update_search_cb, task);
}

void
ofl_store_update_async (OflStore            *self,
                        OflLink             *link,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OFL_IS_STORE (self));
  g_return_if_fail (OFL_IS_LINK (link));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ofl_store_update_async, KEYRING_UPDATE, link, cancellable, callback, user_data);
  op_lock_async (g_steal_pointer (&task), update_locked);
}

gboolean
ofl_store_update_finish (OflStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (self, result, ofl_store_update_async, error);
}
