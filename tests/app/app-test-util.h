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
/* The first widget of @type in @root's tree, @root included. */
GtkWidget *app_test_find_widget    (GtkWidget *root,
                                    GType      type);
/* A visible toplevel window of @type (or implementing it), or NULL. */
GtkWidget *app_test_shown_toplevel (GType      type);

G_END_DECLS
