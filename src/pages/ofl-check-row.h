/* ofl-check-row.h: one check of the Connect page (the token, the
 * account, the user, the workspaces), with its state and what it found */
#pragma once

#include <adwaita.h>

#include "ofl-verifier.h"

G_BEGIN_DECLS

typedef enum {
  OFL_CHECK_WAITING,
  OFL_CHECK_OK,
  OFL_CHECK_FAILED,
  OFL_CHECK_SKIPPED,
} OflCheckState;

#define OFL_TYPE_CHECK_ROW (ofl_check_row_get_type ())
G_DECLARE_FINAL_TYPE (OflCheckRow, ofl_check_row, OFL, CHECK_ROW, AdwActionRow)

GtkWidget     *ofl_check_row_new          (OflVerifyStep  step);
/* @title NULL: the step's own title for @state; @subtitle NULL: none.
 * A screen reader hears the change on the row: "Token accepted, Passed". */
void           ofl_check_row_set_state    (OflCheckRow   *self,
                                           OflCheckState  state,
                                           const char    *title,
                                           const char    *subtitle);
/* What the verifier's ::step-finished said: @error, or on success its
 * @detail (the account, the user, the workspaces) in words. */
void           ofl_check_row_show_result  (OflCheckRow   *self,
                                           const GError  *error,
                                           gpointer       detail);
OflCheckState  ofl_check_row_get_state    (OflCheckRow   *self);
/* Why it failed (ofl_check_row_show_result), or NULL. */
const GError  *ofl_check_row_get_error    (OflCheckRow   *self);

/* A heading and the words under it, as one accessible description:
 * "Failed: Oneflow did not accept this API token." */
char          *ofl_describe_for_screen_reader (const char *heading,
                                               const char *text);

G_END_DECLS
