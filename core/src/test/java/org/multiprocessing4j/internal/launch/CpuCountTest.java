package org.multiprocessing4j.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.Multiprocessing;

class CpuCountTest {

    @Test
    void countsKernelCpuLists() {
        assertThat(CpuCount.countCpuList("0")).isEqualTo(1);
        assertThat(CpuCount.countCpuList("0-1\n")).isEqualTo(2);
        assertThat(CpuCount.countCpuList("0-3,8,10-11")).isEqualTo(7);
    }

    @Test
    void readsCgroupV2QuotaRoundingUp() {
        assertThat(CpuCount.quotaV2("max 100000")).isEqualTo(Integer.MAX_VALUE);
        assertThat(CpuCount.quotaV2("150000 100000\n")).isEqualTo(2);
        assertThat(CpuCount.quotaV2("50000 100000")).isEqualTo(1);
        assertThat(CpuCount.quotaV1("-1", "100000")).isEqualTo(Integer.MAX_VALUE);
        assertThat(CpuCount.quotaV1("300000", "100000")).isEqualTo(3);
    }

    @Test
    void theTightestQuotaOnTheCgroupPathWins(@TempDir Path root) throws IOException {
        Path parent = Files.createDirectories(root.resolve("machine.slice"));
        Path leaf = Files.createDirectories(parent.resolve("app.scope"));
        Files.writeString(root.resolve("cpu.max"), "max 100000");
        Files.writeString(parent.resolve("cpu.max"), "100000 100000");
        Files.writeString(leaf.resolve("cpu.max"), "300000 100000");
        OptionalInt quota = CpuCount.cgroupQuota(List.of("0::/machine.slice/app.scope"), root);
        assertThat(quota).hasValue(1);
    }

    @Test
    void cgroupV1QuotaIsRead(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cpu,cpuacct").resolve("docker"));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), "250000");
        Files.writeString(dir.resolve("cpu.cfs_period_us"), "100000");
        assertThat(CpuCount.cgroupQuota(List.of("4:cpu,cpuacct:/docker", "3:memory:/docker"), root)).hasValue(3);
    }

    @Test
    void noQuotaIsEmpty(@TempDir Path root) throws IOException {
        assertThat(CpuCount.cgroupQuota(List.of("0::/"), root)).isEmpty();
    }

    @Test
    void thisProcessCountsAtLeastOneAndNoMoreThanItsAffinity() {
        int count = Multiprocessing.cpuCount();
        assertThat(count).isPositive();
        CpuCount.affinity().ifPresent(affinity -> assertThat(count).isLessThanOrEqualTo(affinity));
    }

    @Test
    void theSystemPropertyOverrides() {
        System.setProperty("mp4j.cpuCount", "7");
        try {
            assertThat(Multiprocessing.cpuCount()).isEqualTo(7);
        } finally {
            System.clearProperty("mp4j.cpuCount");
        }
    }
}
