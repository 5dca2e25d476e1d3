namespace BpfSharp.Btf;

/// <summary>Reads one <c>struct btf_type</c> record and the data that follows it for its kind.</summary>
internal static class BtfTypeRecord
{
    public static BtfType Read(ref BtfRecordReader r, int id, BtfStrings strings)
    {
        var start = r.Offset;
        var name = strings[r.U32()];
        var info = r.U32();
        var sizeOrType = r.U32();
        var vlen = (int)(info & 0xffff);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        var kindFlag = (info >> 31) != 0;
        switch (kind)
        {
            case BtfKind.Int:
            {
                var encoding = r.U32();
                return new BtfInt(id, name, sizeOrType, (encoding >> 24 & 1) != 0, (encoding >> 24 & 2) != 0, (encoding >> 24 & 4) != 0,
                    (int)(encoding >> 16 & 0xff), (int)(encoding & 0xff));
            }
            case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                return new BtfReference(id, name, kind, (int)sizeOrType);
            case BtfKind.Array:
                return new BtfArray(id, r.I32(), r.I32(), r.U32());
            case BtfKind.Struct or BtfKind.Union:
            {
                r.Need(12L * vlen);
                var members = new BtfMember[vlen];
                for (var i = 0; i < vlen; i++)
                {
                    var memberName = strings[r.U32()];
                    var type = r.I32();
                    var offset = r.U32();
                    // With kind_flag, the offset word packs the bitfield size (high 8 bits) and bit offset (low 24).
                    members[i] = kindFlag
                        ? new BtfMember(memberName, type, offset & 0xffffff, (int)(offset >> 24))
                        : new BtfMember(memberName, type, offset, 0);
                }
                return new BtfComposite(id, name, kind, sizeOrType, members);
            }
            case BtfKind.Enum:
            {
                r.Need(8L * vlen);
                var values = new BtfEnumValue[vlen];
                for (var i = 0; i < vlen; i++)
                {
                    var valueName = strings[r.U32()];
                    var raw = r.U32();
                    values[i] = new BtfEnumValue(valueName, kindFlag ? (int)raw : raw);
                }
                return new BtfEnum(id, name, kind, sizeOrType, kindFlag, values);
            }
            case BtfKind.Enum64:
            {
                r.Need(12L * vlen);
                var values = new BtfEnumValue[vlen];
                for (var i = 0; i < vlen; i++)
                {
                    var valueName = strings[r.U32()];
                    var lo = r.U32();
                    var hi = r.U32();
                    values[i] = new BtfEnumValue(valueName, (long)((ulong)hi << 32 | lo));
                }
                return new BtfEnum(id, name, kind, sizeOrType, kindFlag, values);
            }
            case BtfKind.Forward:
                return new BtfForward(id, name, kindFlag);
            case BtfKind.Function:
                return new BtfFunction(id, name, (int)sizeOrType, vlen);
            case BtfKind.FunctionProto:
            {
                r.Need(8L * vlen);
                var parameters = new BtfParameter[vlen];
                for (var i = 0; i < vlen; i++)
                    parameters[i] = new BtfParameter(strings[r.U32()], r.I32());
                return new BtfFunctionProto(id, (int)sizeOrType, parameters);
            }
            case BtfKind.Variable:
                return new BtfVariable(id, name, (int)sizeOrType, (int)r.U32());
            case BtfKind.DataSection:
            {
                r.Need(12L * vlen);
                var variables = new BtfSectionVariable[vlen];
                for (var i = 0; i < vlen; i++)
                    variables[i] = new BtfSectionVariable(r.I32(), r.U32(), r.U32());
                return new BtfDataSection(id, name, sizeOrType, variables);
            }
            case BtfKind.Float:
                return new BtfFloat(id, name, sizeOrType);
            case BtfKind.DeclTag:
                return new BtfDeclTag(id, name, (int)sizeOrType, r.I32());
            default:
                throw new ObjectFormatException($"BTF type {id} at offset {start} has unknown kind {(int)kind}", ".BTF", start);
        }
    }
}
