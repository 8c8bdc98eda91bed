package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The table's files are written by hand in the format {@link Properties#load(java.io.Reader)} reads. */
class ProcessTableEntryTest {

    @Test
    void whatIsWrittenIsReadBackAsItWas() throws Exception {
        String[] values = {"Process-1", " leading space", "a=b:c#d!e", "back\\slash", "line\nfeed\rreturn\ttab\f",
                "ünïcode ✓", "", "#comment-like", "trailing space "};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            ProcessTable.entry(text, "k" + i, values[i]);
        }
        Properties read = new Properties();
        read.load(new StringReader(text.toString()));
        for (int i = 0; i < values.length; i++) {
            assertThat(read.getProperty("k" + i)).isEqualTo(values[i]);
        }
        assertThat(read).hasSize(values.length);
    }
}
