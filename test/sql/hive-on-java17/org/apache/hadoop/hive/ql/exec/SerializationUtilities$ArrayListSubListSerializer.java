package org.apache.hadoop.hive.ql.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.hive.com.esotericsoftware.kryo.Kryo;
import org.apache.hive.com.esotericsoftware.kryo.Serializer;
import org.apache.hive.com.esotericsoftware.kryo.io.Input;
import org.apache.hive.com.esotericsoftware.kryo.io.Output;

/**
 * Replaces Hive 3.1's class of the same name, whose constructor reflects on ArrayList.SubList.parentOffset, a field Java 9+
 * no longer has ("NoSuchFieldException: parentOffset" whenever a MapReduce plan is serialized): a sub-list travels as its
 * elements and comes back as an ArrayList.
 */
class SerializationUtilities$ArrayListSubListSerializer extends Serializer<List<?>> {
  public SerializationUtilities$ArrayListSubListSerializer() {}

  @Override
  public void write(Kryo kryo, Output output, List<?> list) {
    output.writeInt(list.size(), true);
    for (Object element : list) kryo.writeClassAndObject(output, element);
  }

  @Override
  public List<?> read(Kryo kryo, Input input, Class<List<?>> type) {
    int size = input.readInt(true);
    List<Object> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) list.add(kryo.readClassAndObject(input));
    return list;
  }
}
