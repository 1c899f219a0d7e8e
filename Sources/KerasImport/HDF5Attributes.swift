// String attributes of a group: fixed-length (what Keras 2 wrote through numpy `|S` arrays, as
// in the ImageNet weight files) and variable-length (what h5py writes for Python str).
@preconcurrency import CHDF5

extension HDF5Group {
  /// Names of the group's attributes, in name order.
  package func attributeNames() throws -> [String] {
    try HDF5.call {
      var info = H5O_info_t()
      guard H5Oget_info2(handle.id, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else {
        throw failure("the attributes of group")
      }
      return try (0..<info.num_attrs).map { index in
        let id = H5Aopen_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, 0, 0)
        guard id >= 0 else { throw failure("the attributes of group") }
        let attribute = HDF5Handle(id, .attribute)
        let length = H5Aget_name(attribute.id, 0, nil)
        var bytes = [CChar](repeating: 0, count: length + 1)
        _ = H5Aget_name(attribute.id, length + 1, &bytes)
        return String(decoding: bytes.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      }
    }
  }

  /// The strings of attribute `attribute` (one for a scalar, all of them for an array), or
  /// nil when the group has no such attribute. An empty attribute of any type reads as `[]`
  /// (Keras writes a layer without weights as an empty float64 array).
  /// - Throws: `KerasFileError.unreadable` when the attribute holds non-strings or HDF5
  ///   fails to read it.
  package func strings(attribute: String) throws -> [String]? {
    try HDF5.call {
      let exists = H5Aexists(handle.id, attribute)
      guard exists >= 0 else { throw failure("attribute '\(attribute)' of group") }
      guard exists > 0 else { return nil }
      let id = H5Aopen(handle.id, attribute, 0 /* H5P_DEFAULT */)
      guard id >= 0 else { throw failure("attribute '\(attribute)' of group") }
      let attributeHandle = HDF5Handle(id, .attribute)
      let space = HDF5Handle(H5Aget_space(id), .dataspace)
      let type = HDF5Handle(H5Aget_type(id), .datatype)
      let count = Int(H5Sget_simple_extent_npoints(space.id))
      guard count > 0 else { return [] }
      guard H5Tget_class(type.id) == H5T_STRING else {
        throw KerasFileError.unreadable(
          path: file.path, object: "attribute '\(attribute)' of group '\(name)'",
          detail: "it holds numbers, not strings")
      }
      let strings =
        H5Tis_variable_str(type.id) > 0
        ? readVariableLength(attributeHandle, type: type, count: count)
        : readFixedLength(attributeHandle, type: type, count: count)
      guard let strings else { throw failure("attribute '\(attribute)' of group") }
      return strings
    }
  }

  /// The single string of attribute `attribute`, or nil when absent.
  package func string(attribute: String) throws -> String? {
    guard let strings = try strings(attribute: attribute) else { return nil }
    guard strings.count == 1 else {
      throw KerasFileError.unreadable(
        path: file.path, object: "attribute '\(attribute)' of group '\(name)'",
        detail: "expected one string, found \(strings.count)")
    }
    return strings[0]
  }

  /// Reads `count` fixed-length strings: `size` bytes each, cut at the first NUL
  /// (null-terminated and null-padded types) or trimmed of trailing spaces (space-padded).
  private func readFixedLength(_ attribute: HDF5Handle, type: HDF5Handle, count: Int) -> [String]? {
    let size = H5Tget_size(type.id)
    guard size > 0 else { return nil }
    var bytes = [UInt8](repeating: 0, count: size * count)
    // The file's own type as the memory type: no conversion, just the raw padded bytes.
    guard H5Aread(attribute.id, type.id, &bytes) >= 0 else { return nil }
    let spacePadded = H5Tget_strpad(type.id) == H5T_STR_SPACEPAD
    return (0..<count).map { index in
      var element = bytes[(index * size)..<((index + 1) * size)]
      if let end = element.firstIndex(of: 0) { element = element[..<end] }
      if spacePadded { while element.last == 0x20 { element = element.dropLast() } }
      return String(decoding: element, as: UTF8.self)
    }
  }

  /// Reads `count` variable-length strings, freeing the buffers HDF5 allocates for them.
  private func readVariableLength(_ attribute: HDF5Handle, type: HDF5Handle, count: Int)
    -> [String]?
  {
    let memoryType = HDF5Handle(H5Tcopy(H5T_C_S1_g), .datatype)
    // H5T_VARIABLE is (size_t)-1, a macro Swift does not import.
    H5Tset_size(memoryType.id, -1)
    H5Tset_cset(memoryType.id, H5Tget_cset(type.id))
    var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
    guard H5Aread(attribute.id, memoryType.id, &pointers) >= 0 else { return nil }
    defer { for pointer in pointers where pointer != nil { H5free_memory(pointer) } }
    return pointers.map { $0.map { String(cString: $0) } ?? "" }
  }
}
