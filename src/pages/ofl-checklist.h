/* ofl-checklist.h: the Connect page's checks, one OflCheckRow per step of
 * the verification, busy while they run */
#pragma once

#include <adwaita.h>

#include "ofl-verifier.h"

G_BEGIN_DECLS

#define OFL_TYPE_CHECKLIST (ofl_checklist_get_type ())
G_DECLARE_FINAL_TYPE (OflChecklist, ofl_checklist, OFL, CHECKLIST, AdwPreferencesGroup)

/* Every check waiting again. */
void        ofl_checklist_reset        (OflChecklist  *self);
/* Busy while the checks run: a screen reader hears it start and end. */
void        ofl_checklist_set_busy     (OflChecklist  *self,
                                        gboolean       busy);
/* What the verifier's ::step-finished said; returns the row's new title. */
const char *ofl_checklist_show_result  (OflChecklist  *self,
                                        OflVerifyStep  step,
                                        const GError  *error,
                                        gpointer       detail);
/* The end: every check still waiting passed (@error NULL); or the check
 * that failed with the cause that won, @error, keeps its line, and the
 * others read "Not checked". */
void        ofl_checklist_finish       (OflChecklist  *self,
                                        const GError  *error);
/* Stopped: the checks still waiting read "Cancelled". */
void        ofl_checklist_stop         (OflChecklist  *self);

G_END_DECLS
