/* ofl-ui-test.h: shared helpers for the GUI tests */
#pragma once

#include <adwaita.h>

#include "ofl-application.h"
#include "ofl-assistant.h"
#include "ofl-accounts-view-private.h"
#include "ofl-connect-page-private.h"
#include "ofl-email-page.h"
#include "ofl-error.h"
#include "ofl-failure-card.h"
#include "ofl-fake-server.h"
#include "ofl-links-private.h"
#include "ofl-store.h"
#include "ofl-store-private.h"
#include "ofl-token-page.h"
#include "ofl-window-private.h"

G_BEGIN_DECLS

#define OFL_TEST_TIMEOUT_S 30

/* OFL_TEST_TIMEOUT_S, times OFL_TEST_SLOWDOWN in a sanitizer build. */
gint64          ofl_ui_test_timeout_us    (void);

/* Spins the main loop until @expr holds; fails after the time-out. */
#define WAIT_UNTIL(expr)                                                      \
  G_STMT_START {                                                              \
    gint64 _deadline = g_get_monotonic_time () + ofl_ui_test_timeout_us ();   \
    while (!(expr))                                                           \
      {                                                                       \
        if (g_get_monotonic_time () > _deadline)                              \
          g_error ("Timed out waiting for: %s", #expr);                       \
        g_main_context_iteration (NULL, TRUE);                                \
      }                                                                       \
  } G_STMT_END

void            ofl_ui_test_init          (int           *argc,
                                           char        ***argv);
/* Starts a fake server and points ONEFLOW_LINK_API_URL at it. */
OflFakeServer  *ofl_ui_test_start_server  (gboolean       tls);
OflApplication *ofl_ui_test_get_app       (void);
/* A presented window whose links have loaded. */
OflWindow      *ofl_ui_test_new_window    (void);
void            ofl_ui_test_close_window  (OflWindow     *window);
void            ofl_ui_test_set_check_on_open (gboolean check);

/* Waits until @widget's frame clock has painted @n_frames more frames
 * (each one asked for), so what the state calls for is on screen. */
void            ofl_ui_test_wait_frames   (GtkWidget     *widget,
                                           guint          n_frames);
/* Waits until @widget is mapped, laid out, and has not moved or changed
 * size from one frame to the next: any transition into view is over. */
void            ofl_ui_test_wait_settled  (GtkWidget     *widget);
/* Waits for a reply from the bus itself to a call made now: whatever
 * was sent to this process before it has been dispatched. */
void            ofl_ui_test_bus_round_trip (GDBusConnection *bus);
/* Waits until no request to @server is open, and returns how many of
 * those served since @since_us (g_get_monotonic_time()) were answered,
 * rather than given up by the client. */
guint           ofl_ui_test_wait_requests_over (OflFakeServer *server,
                                                gint64         since_us);

/* A template child of @widget by its id in the .ui file. */
gpointer        ofl_ui_test_child         (gpointer       widget,
                                           GType          template_type,
                                           const char    *id);
/* What the window shows: "welcome", "accounts", "assistant", … */
const char     *ofl_ui_test_view          (OflWindow     *window);
OflAccountsView *ofl_ui_test_accounts_view (OflWindow    *window);
/* The assistant (made now if the window has not made it yet). */
OflAssistant   *ofl_ui_test_assistant     (OflWindow     *window);
/* The assistant's visible page. */
OflPageId       ofl_ui_test_current       (OflAssistant  *assistant);
/* Its "busy" property: a check is under way. */
gboolean        ofl_ui_test_busy          (OflAssistant  *assistant);
/* How many link rows @view has made so far. */
guint           ofl_ui_test_n_rows        (OflAccountsView *view);
/* The row for @email once every link of @view has its row, or NULL. */
GtkWidget      *ofl_ui_test_find_row      (OflAccountsView *view,
                                           const char    *email);
/* How many of the app's links are being checked or re-linked. */
guint           ofl_ui_test_n_busy_links  (void);
OflAssistantPage *ofl_ui_test_page        (OflWindow     *window,
                                           OflPageId      page);
/* Whether the header bar's Next is sensitive (its action is enabled). */
gboolean        ofl_ui_test_next_enabled  (OflWindow     *window);
void            ofl_ui_test_activate      (gpointer       widget,
                                           const char    *action);
void            ofl_ui_test_set_text      (gpointer       page,
                                           GType          type,
                                           const char    *row_id,
                                           const char    *text);
/* The visible AdwAlertDialog over @window, or NULL. */
AdwAlertDialog  *ofl_ui_test_find_dialog (OflWindow     *window);
/* Drives the assistant to the Connect page with @token and @email. */
void            ofl_ui_test_fill          (OflWindow     *window,
                                           const char    *token,
                                           const char    *email);
/* Presses Connect and waits until the check is over. */
void            ofl_ui_test_connect       (OflWindow     *window);
/* The token stored for @email, from libsecret directly (or NULL). */
char           *ofl_ui_test_keyring_lookup (const char   *email);
gboolean        ofl_ui_test_label_contains (GtkLabel     *label,
                                            const char   *needle);
/* Responds as a click on the response button would, closing the dialog. */
void            ofl_ui_test_respond       (AdwAlertDialog   *dialog,
                                           const char       *response);
/* Saves a PNG of @widget as it is drawn now. */
void            ofl_ui_test_save_png      (GtkWidget     *widget,
                                           const char    *path);
/* Stores a link to @server's API, as the app would after verifying it.
 * @account_name may be NULL: the first check then fills it in. */
void            ofl_ui_test_store_link    (OflFakeServer *server,
                                           const char    *email,
                                           const char    *account_id,
                                           const char    *account_name,
                                           const char    *token);
/* Enter, as @widget's key controllers see it; whether one handled it. */
gboolean        ofl_ui_test_press_enter   (GtkWidget     *widget);
gboolean        ofl_ui_test_press_key     (GtkWidget     *widget,
                                           guint          keyval,
                                           GdkModifierType modifiers);
/* Back, as libadwaita's back button and shortcuts do it. */
void            ofl_ui_test_go_back       (OflWindow     *window);
/* The app's OflWindow, or NULL when it has none. */
OflWindow      *ofl_ui_test_find_window   (void);
/* GApplication's own notification interface, as GNOME Shell serves it. */
#define OFL_UI_TEST_GTK_NOTIFICATIONS_XML                                     \
  "<node>"                                                                    \
  "  <interface name='org.gtk.Notifications'>"                                \
  "    <method name='AddNotification'>"                                       \
  "      <arg type='s' direction='in'/>"                                      \
  "      <arg type='s' direction='in'/>"                                      \
  "      <arg type='a{sv}' direction='in'/>"                                  \
  "    </method>"                                                             \
  "    <method name='RemoveNotification'>"                                    \
  "      <arg type='s' direction='in'/>"                                      \
  "      <arg type='s' direction='in'/>"                                      \
  "    </method>"                                                             \
  "  </interface>"                                                            \
  "</node>"

/* Serves @vtable for the one interface in @xml at @path, and owns @name
 * on the test's private session bus, before the app can look for it.
 * The name goes with the returned connection's last reference. */
GDBusConnection *ofl_ui_test_own_name     (const char    *xml,
                                           const char    *name,
                                           const char    *path,
                                           const GDBusInterfaceVTable *vtable);

G_END_DECLS
