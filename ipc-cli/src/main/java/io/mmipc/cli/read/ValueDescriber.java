package io.mmipc.cli.read;

import io.mmipc.internal.file.ObjectType;
import io.mmipc.internal.sync.ValueLayout;

import java.util.ArrayList;
import java.util.List;

/** Values and arrays: kind, length, lock, and the value or the first elements (see {@link ValueLayout}). */
final class ValueDescriber implements Describer {
    /** Elements of an array shown by {@code inspect}. */
    static final int SHOWN_ELEMENTS = 16;

    @Override
    public int version() {
        return ValueLayout.VERSION;
    }

    @Override
    public void describe(ObjectFile file, Header header, List<RegistryEntry> registry, Description out) {
        long kind = header.param(ValueLayout.P_KIND);
        long length = header.param(ValueLayout.P_LENGTH);
        boolean locked = (header.param(ValueLayout.P_FLAGS) & ValueLayout.FLAG_LOCK) != 0;
        Fields body = out.body();
        body.add("kind", ValueLayout.kindName(kind)).add("length", length).add("hasLock", locked);
        if (ValueLayout.elementSize(kind) == 0 || length < 0 || length > ValueLayout.maxLength((int) kind)) {
            out.problem("bad value parameters: kind=" + kind + ", length=" + length);
            return;
        }
        if (ValueLayout.fileSize((int) kind, length) != header.declaredSize()) {
            out.problem("file size does not match the value's parameters: expected="
                    + ValueLayout.fileSize((int) kind, length) + ", header=" + header.declaredSize());
        }
        if (locked) {
            body.add("lock", LockBlockReader.read(file, ValueLayout.LOCK, out, false));
        }
        List<Object> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(length, SHOWN_ELEMENTS); i++) {
            shown.add(element(file, (int) kind, i));
        }
        if (header.type() == ObjectType.VALUE) {
            body.add("value", shown.get(0));
            out.summary().add("value", shown.get(0));
        } else {
            body.add("elements", shown);
            out.summary().add("kind", ValueLayout.kindName(kind)).add("length", length);
        }
    }

    private static Object element(ObjectFile file, int kind, int index) {
        long at = ValueLayout.offset(kind, index);
        switch (kind) {
            case ValueLayout.BYTE:
                return file.getByte(at);
            case ValueLayout.INT:
                return file.getInt(at);
            case ValueLayout.LONG:
                return file.getLong(at);
            default:
                return Double.longBitsToDouble(file.getLong(at));
        }
    }
}
