package io.mmipc.cli.read;

import io.mmipc.internal.file.ObjectType;

import java.util.EnumMap;
import java.util.Map;

/** Which describer reads which object type: the one place to register a new type or layout. */
final class Describers {
    private static final Map<ObjectType, Describer> BY_TYPE = new EnumMap<>(ObjectType.class);

    static {
        Describer queue = new QueueDescriber();
        Describer lock = new LockDescriber();
        Describer value = new ValueDescriber();
        BY_TYPE.put(ObjectType.QUEUE, queue);
        BY_TYPE.put(ObjectType.JOINABLE_QUEUE, queue);
        BY_TYPE.put(ObjectType.PIPE, new PipeDescriber());
        BY_TYPE.put(ObjectType.VALUE, value);
        BY_TYPE.put(ObjectType.ARRAY, value);
        BY_TYPE.put(ObjectType.LOCK, lock);
        BY_TYPE.put(ObjectType.RLOCK, lock);
        BY_TYPE.put(ObjectType.SEMAPHORE, new SemaphoreDescriber());
        BY_TYPE.put(ObjectType.EVENT, new EventDescriber());
        BY_TYPE.put(ObjectType.CONDITION, new ConditionDescriber());
        BY_TYPE.put(ObjectType.BARRIER, new BarrierDescriber());
    }

    private Describers() {
    }

    /**
     * @param type an object type
     * @return its describer, or null if this command does not know how to read it yet
     */
    static Describer of(ObjectType type) {
        return BY_TYPE.get(type);
    }
}
