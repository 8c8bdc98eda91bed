package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link List} promises, run on a manager's proxy and on a plain list to check the contract. */
public abstract class ListContract {

    protected abstract List<String> newList();

    @Test
    void addGetSetRemove() {
        List<String> l = newList();
        assertThat(l.isEmpty()).isTrue();
        assertThat(l.add("a")).isTrue();
        l.add("c");
        l.add(1, "b");
        assertThat(l).containsExactly("a", "b", "c");
        assertThat(l.get(1)).isEqualTo("b");
        assertThat(l.set(1, "B")).isEqualTo("b");
        assertThat(l.remove(0)).isEqualTo("a");
        assertThat(l.remove("zz")).isFalse();
        assertThat(l.remove("c")).isTrue();
        assertThat(l).containsExactly("B");
        assertThat(l.size()).isEqualTo(1);
        assertThatThrownBy(() -> l.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
        l.clear();
        assertThat(l).isEmpty();
    }

    @Test
    void searchAndBulkOperations() {
        List<String> l = newList();
        l.addAll(List.of("x", "y", "x", "z"));
        assertThat(l.indexOf("x")).isEqualTo(0);
        assertThat(l.lastIndexOf("x")).isEqualTo(2);
        assertThat(l.contains("z")).isTrue();
        assertThat(l.containsAll(List.of("x", "z"))).isTrue();
        assertThat(l.addAll(1, List.of("p", "q"))).isTrue();
        assertThat(l).containsExactly("x", "p", "q", "y", "x", "z");
        assertThat(l.removeAll(List.of("x"))).isTrue();
        assertThat(l.retainAll(List.of("p", "y", "z"))).isTrue();
        assertThat(l).containsExactly("p", "y", "z");
        assertThat(l.subList(1, 3)).containsExactly("y", "z");
        l.sort((Comparator<String> & java.io.Serializable) (a, b) -> b.compareTo(a));
        assertThat(l).containsExactly("z", "y", "p");
        l.replaceAll((java.util.function.UnaryOperator<String> & java.io.Serializable) String::toUpperCase);
        assertThat(l.removeIf((java.util.function.Predicate<String> & java.io.Serializable) s -> s.equals("Y"))).isTrue();
        assertThat(l).containsExactly("Z", "P");
    }

    @Test
    void iterationEqualityAndArrays() {
        List<String> l = newList();
        l.addAll(List.of("a", "b", "c"));
        List<String> seen = new ArrayList<>();
        for (String s : l) {
            seen.add(s);
        }
        l.forEach(s -> seen.add(s.toUpperCase())); // a plain lambda: it runs in the caller
        assertThat(seen).containsExactly("a", "b", "c", "A", "B", "C");
        assertThat(l.stream().map(String::length).reduce(0, Integer::sum)).isEqualTo(3);
        assertThat(l.listIterator(1).next()).isEqualTo("b");
        assertThat(l.toArray()).containsExactly("a", "b", "c");
        assertThat(l.toArray(new String[0])).containsExactly("a", "b", "c");
        assertThat(l.toArray(String[]::new)).containsExactly("a", "b", "c");
        assertThat(l).isEqualTo(List.of("a", "b", "c"));
        assertThat(l.hashCode()).isEqualTo(List.of("a", "b", "c").hashCode());
    }
}
