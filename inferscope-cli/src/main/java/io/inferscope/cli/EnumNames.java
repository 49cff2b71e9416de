package io.inferscope.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * An enum option's values as users type them, in lower case, for {@code ${COMPLETION-CANDIDATES}}
 * in help texts (picocli lists the constants' upper-case names otherwise, beside lower-case
 * defaults). A subclass per enum, as picocli instantiates the candidates with no argument.
 */
public abstract class EnumNames<E extends Enum<E>> implements Iterable<String> {
  private final Class<E> type;

  protected EnumNames(Class<E> type) {
    this.type = type;
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT))
        .iterator();
  }

  /** {@code --arrival}. */
  static final class Arrivals extends EnumNames<io.inferscope.probe.LoadSpec.Arrival> {
    Arrivals() {
      super(io.inferscope.probe.LoadSpec.Arrival.class);
    }
  }

  /** {@code --self-warm}. */
  static final class SelfWarms extends EnumNames<io.inferscope.probe.LoadSpec.SelfWarm> {
    SelfWarms() {
      super(io.inferscope.probe.LoadSpec.SelfWarm.class);
    }
  }

  /** {@code --engine}. */
  static final class Engines extends EnumNames<io.inferscope.core.EngineKind> {
    Engines() {
      super(io.inferscope.core.EngineKind.class);
    }
  }

  /** {@code --progress}. */
  static final class ProgressModes extends EnumNames<OutputOptions.ProgressMode> {
    ProgressModes() {
      super(OutputOptions.ProgressMode.class);
    }
  }

  /** {@code --role-chunk}. */
  static final class RoleChunks extends EnumNames<io.inferscope.sim.SimConfig.RoleChunk> {
    RoleChunks() {
      super(io.inferscope.sim.SimConfig.RoleChunk.class);
    }
  }

  /** {@code --fault}. */
  static final class Faults extends EnumNames<io.inferscope.sim.SimConfig.Fault> {
    Faults() {
      super(io.inferscope.sim.SimConfig.Fault.class);
    }
  }
}
