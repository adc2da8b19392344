/* hail-test-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Iterates the default main context until @cond returns TRUE or @timeout_ms
 * passes; returns the last value of @cond. Every wait in a test is bounded. */
gboolean  hail_test_wait_until (GSourceFunc cond,
                                gpointer    data,
                                guint       timeout_ms);

/* Waits as hail_test_wait_until() does until @array holds @count entries. */
gboolean  hail_test_wait_count (GPtrArray  *array,
                                guint       count,
                                guint       timeout_ms);

/* A new temporary directory named after @tmpl (as g_dir_make_tmp() takes
 * it) holding what tests/sip/gen-test-certs.sh makes: a CA, a server key
 * and certificate it signed, and another CA. */
char     *hail_test_make_certificates (const char *tmpl);

/* Removes @path and everything below it. */
void      hail_test_remove_tree (const char *path);

/* Whether @bytes, a SIP message as a trace gives it, is a @method request. */
gboolean  hail_test_sip_is_request (GBytes     *bytes,
                                    const char *method);

/* Reads a file from the source tree below tests/ (G_TEST_SRCDIR). */
GBytes   *hail_test_load_data  (const char *relpath);

/* Lists the regular files of a directory below tests/, sorted by name. */
GPtrArray *hail_test_list_dir  (const char *reldir);

/* Whether a Secret Service (org.freedesktop.secrets) answers on the
 * session bus; tests that need one skip without it. */
gboolean  hail_test_secret_service_running (void);

G_END_DECLS
