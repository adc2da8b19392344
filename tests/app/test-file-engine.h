/* test-file-engine.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An engine with files, as the core engine will be: it records what it
 * was asked to send, holds the offers and the live transfers the test
 * gives it, and reports everything available. Given a real HailCoreFiles
 * and chat, it retries stored files through them, as the core engine
 * does once it found the row's account.
 */
#pragma once

#include "hail-core-files.h"
#include "hail-engine.h"
#include "test-transfer.h"

G_BEGIN_DECLS

#define TEST_TYPE_FILE_ENGINE (test_file_engine_get_type ())
G_DECLARE_FINAL_TYPE (TestFileEngine, test_file_engine, TEST, FILE_ENGINE, GObject)

struct _TestFileEngine {
  GObject parent_instance;
  GPtrArray *sent;         /* GFile */
  GPtrArray *offers;       /* HailOfferView */
  GHashTable *transfers;   /* gint64 * -> TestTransfer */
  HailCoreFiles *files;    /* NULL: no file is sent again */
  HailChat *chat;
};

void test_file_engine_add_transfer (TestFileEngine *self,
                                    TestTransfer   *transfer);

G_END_DECLS
