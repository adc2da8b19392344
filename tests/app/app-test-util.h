/* app-test-util.h: what the GTK tests of tests/app share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Starts GTK and libadwaita for a test with no accessibility bus (its
 * tree is test-a11y.py's); FALSE, with the TAP skip line printed, when
 * there is no display to open. */
gboolean   app_test_init           (int       *argc,
                                    char    ***argv);
/* For tests that write files: as app_test_init(), with the XDG data,
 * config, cache and state homes in a new directory named after @tmpl (as
 * g_dir_make_tmp() takes it), which it returns, and the accessibility bus
 * kept where a session bus runs; NULL where app_test_init() gives FALSE. */
char      *app_test_init_homes     (int         *argc,
                                    char      ***argv,
                                    const char  *tmpl);
/* The first widget of @type in @root's tree, @root included. */
GtkWidget *app_test_find_widget    (GtkWidget *root,
                                    GType      type);
/* A visible toplevel window of @type (or implementing it), or NULL. */
GtkWidget *app_test_shown_toplevel (GType      type);

G_END_DECLS
